//! AWS Config: the configuration recorder, its status and delivery channel.

mod aws_config_configuration_recorder;
mod aws_config_configuration_recorder_status;
mod aws_config_delivery_channel;

use super::Service;

crate::sdk_client!(aws_sdk_config);

pub static SERVICE: Service = Service {
    name: "config",
    concurrency: 4,
    types: &[
        &aws_config_configuration_recorder::TYPE,
        &aws_config_configuration_recorder_status::TYPE,
        &aws_config_delivery_channel::TYPE,
    ],
};
