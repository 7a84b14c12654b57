#!/usr/bin/env python3
"""Rewrites the generated block of Sources/DescentCore/Runner/Runner.swift: one `@_specialize` per registered
objective x optimizer type x recorder, so that `executeLanes` runs fully specialized (no dynamic calls per
step) for every catalogue pair. Run it after registering a function or optimizer; a test fails when the
block is missing a registered type.

    python3 tools/specializations.py
"""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
catalog = (root / "Sources/DescentCore/Catalog.swift").read_text()
listing = catalog[catalog.index("objectives: [\n"):catalog.index("optimizers: [\n")]
objectives = re.findall(r"^\s+(\w+)\.self\s*,?\s*(?://.*)?$", listing, re.M)  # one a line, comma and comment optional
optimizers = sorted(set(re.findall(r"\.optimizer\((\w+)\.self\)", catalog)), key=catalog.index)
recorders = ["DiscardingRecorder", "TrajectoryWriter"]

runner = root / "Sources/DescentCore/Runner/Runner.swift"
text = runner.read_text()
begin, end = "// BEGIN GENERATED SPECIALIZATIONS (tools/specializations.py)\n", "// END GENERATED SPECIALIZATIONS\n"
lines = [f"@_specialize(where F == {f}, O == {o}, R == {r})\n" for f in objectives for o in optimizers for r in recorders]
block = begin + "".join(lines) + end
if begin in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    marker = "public func executeLanes<"
    text = text.replace(marker, block + marker, 1)
runner.write_text(text)
print(f"{len(lines)} specializations: {len(objectives)} objectives x {len(optimizers)} optimizers x {len(recorders)} recorders")
