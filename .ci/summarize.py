"""Prints the totals of every TRX file under a folder as one line: 'N passed, N failed, N skipped'.

With --fail-on-skip it exits 1 when any test was skipped: CI installs every package the tests need, so a skip there
means an install step is missing (on a developer's machine a skip names the package to install).
"""
import glob
import sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
skipped_names = []
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
    for result in root.iterfind("t:Results/t:UnitTestResult", ns):
        if result.get("outcome") == "NotExecuted":
            message = result.find("t:Output/t:ErrorInfo/t:Message", ns)
            skipped_names.append(f"{result.get('testName')}: {message.text if message is not None else ''}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
if "--fail-on-skip" in sys.argv[2:] and skipped_names:
    print("error: CI installs every package the tests need, so no test may be skipped:", file=sys.stderr)
    for name in skipped_names:
        print(f"  skipped {name}", file=sys.stderr)
    sys.exit(1)
