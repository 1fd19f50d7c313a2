#!/usr/bin/env python3
"""Validate `plumb scan --format asff` output against Security Hub's own API model (botocore's
BatchImportFindings input shape: required members, types, lengths), in batches of 100 as the
API takes them, plus the ASFF rules the model does not encode (documented limits and enums).
Usage: validate_asff.py FINDINGS.json; prints a summary, exit 1 with the problems otherwise."""
import json
import re
import sys
from datetime import datetime

import botocore.session
from botocore.validate import ParamValidator

SEVERITY = {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}
WORKFLOW = {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"}
RECORD = {"ACTIVE", "ARCHIVED"}
COMPLIANCE = {"PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"}
NAMESPACES = {"Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors", "Sensitive Data Identifications"}


def main():
    findings = json.load(open(sys.argv[1]))
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    problems = []
    for i in range(0, len(findings), 100):
        report = ParamValidator().validate({"Findings": findings[i:i + 100]}, shape)
        if report.has_errors():
            problems.append(report.generate_report())
    for i, f in enumerate(findings):
        def bad(msg):
            problems.append(f"finding {i} ({f.get('Id')}): {msg}")
        if f.get("SchemaVersion") != "2018-10-08":
            bad("SchemaVersion")
        if not re.fullmatch(r"\d{12}", f.get("AwsAccountId", "")):
            bad("AwsAccountId is not 12 digits")
        if not re.fullmatch(r"arn:aws:securityhub:[a-z0-9-]+:\d{12}:product/\d{12}/default", f.get("ProductArn", "")):
            bad("ProductArn is not a custom integration's default product")
        if len(f.get("Id", "")) > 512 or len(f.get("GeneratorId", "")) > 512:
            bad("Id or GeneratorId over 512")
        if len(f.get("Title", "")) > 256 or len(f.get("Description", "")) > 1024:
            bad("Title over 256 or Description over 1024")
        for k in ("CreatedAt", "UpdatedAt"):
            try:
                datetime.fromisoformat(f[k].replace("Z", "+00:00"))
            except Exception:
                bad(f"{k} is not ISO 8601")
        if f.get("Severity", {}).get("Label") not in SEVERITY:
            bad("Severity.Label")
        if not 1 <= len(f.get("Resources", [])) <= 32:
            bad("Resources: 1 to 32")
        for t in f.get("Types", []):
            parts = t.split("/")
            if not 2 <= len(parts) <= 3 or parts[0] not in NAMESPACES:
                bad(f"Types entry {t!r} is not namespace/category[/classifier]")
        if "Workflow" in f and f["Workflow"].get("Status") not in WORKFLOW:
            bad("Workflow.Status")
        if f.get("RecordState", "ACTIVE") not in RECORD:
            bad("RecordState")
        if "Compliance" in f:
            if f["Compliance"].get("Status") not in COMPLIANCE:
                bad("Compliance.Status")
            if len(f["Compliance"].get("RelatedRequirements", [])) > 32:
                bad("RelatedRequirements over 32")
        pf = f.get("ProductFields", {})
        if len(pf) > 50 or any(len(k) > 128 or len(v) > 2048 for k, v in pf.items()):
            bad("ProductFields: at most 50, keys up to 128, values up to 2048 characters")
        if "Remediation" in f and len(f["Remediation"]["Recommendation"].get("Text", "")) > 512:
            bad("Remediation text over 512")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(json.dumps({"findings": len(findings), "batches": (len(findings) + 99) // 100}))


if __name__ == "__main__":
    main()
