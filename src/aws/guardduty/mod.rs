//! GuardDuty: detectors.

mod aws_guardduty_detector;

use super::Service;

pub static SERVICE: Service = Service { name: "guardduty", concurrency: 4, types: &[&aws_guardduty_detector::TYPE] };
