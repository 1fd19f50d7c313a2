#!/usr/bin/env python3
"""Validate `plumb scan --format ocsf` output with the OCSF reference models (py-ocsf-models,
OCSF 1.5.0): every event parses as its class (Compliance Finding 2003, Detection Finding 2004),
and no field plumb writes is unknown to the model (pydantic ignores unknown fields, so each
event is dumped back and compared). `cloud` on a Compliance Finding is OCSF's cloud profile,
which the model does not carry. Usage: validate_ocsf.py EVENTS.json; prints a summary, exit 1
with the problems otherwise."""
import json
import sys

from py_ocsf_models import OCSF_VERSION
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from py_ocsf_models.events.findings.detection_finding import DetectionFinding

CLASSES = {2003: ComplianceFinding, 2004: DetectionFinding}
# Profile fields OCSF defines for these classes that the models leave out.
PROFILE_FIELDS = {2003: {"cloud"}, 2004: set()}
# Free-form objects: anything goes below them.
FREE = {"data", "unmapped"}


def unknown(src, back, path=""):
    out = []
    if isinstance(src, dict):
        for k, v in src.items():
            if k not in back:
                out.append(path + k)
            elif k not in FREE:
                out += unknown(v, back[k], path + k + ".")
    elif isinstance(src, list):
        for i, (a, b) in enumerate(zip(src, back)):
            out += unknown(a, b, f"{path}{i}.")
    return out


def main():
    events = json.load(open(sys.argv[1]))
    problems = []
    counts = {}
    for i, e in enumerate(events):
        cls = CLASSES.get(e.get("class_uid"))
        if cls is None:
            problems.append(f"event {i}: class_uid {e.get('class_uid')} is not a finding class plumb writes")
            continue
        try:
            m = cls.model_validate(e)
        except Exception as err:  # pydantic.ValidationError
            problems.append(f"event {i}: {err}")
            continue
        back = json.loads(m.model_dump_json(exclude_none=True))
        extra = [p for p in unknown(e, back) if p not in PROFILE_FIELDS[e["class_uid"]]]
        if extra:
            problems.append(f"event {i}: fields unknown to OCSF {OCSF_VERSION}: {extra}")
        if e["metadata"]["version"] != OCSF_VERSION:
            problems.append(f"event {i}: metadata.version {e['metadata']['version']} != {OCSF_VERSION}")
        if e["type_uid"] != e["class_uid"] * 100 + e["activity_id"]:
            problems.append(f"event {i}: type_uid is not class_uid * 100 + activity_id")
        counts[e["class_uid"]] = counts.get(e["class_uid"], 0) + 1
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(json.dumps({"ocsf_version": OCSF_VERSION, "events": len(events), "by_class": counts}))


if __name__ == "__main__":
    main()
