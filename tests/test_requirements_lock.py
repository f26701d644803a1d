"""requirements/test.lock: the pinned, hashed test environment that CI and the README install.

pyproject.toml keeps ranges for users; the lock must stay inside them, name
every package those ranges pull in, and carry hashes, or `pip install
--require-hashes` would install something nobody reviewed (or refuse to run).
"""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(lock.read_text())}


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    build_in = [line for line in (ROOT / "requirements/build.in").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["test"], *build_in]]


def test_every_declared_dependency_is_pinned_within_its_range():
    pinned = pins(ROOT / "requirements/test.lock")
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is declared but not in the lock: refresh it (README)"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"the lock pins {name}=={pinned[name]}, outside the declared {requirement}: refresh it (README)")


def test_every_pin_carries_a_hash():
    for lock in (ROOT / "requirements/test.lock", ROOT / "requirements/oldest.lock"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text().split("\n", 2)[2].strip())
        assert entries, lock
        for entry in entries:
            assert PIN.match(entry) and "--hash=sha256:" in entry, f"{lock.name}: {entry.splitlines()[0]}"


def test_the_oldest_releases_tested_are_the_lower_bounds_users_are_promised():
    oldest = pins(ROOT / "requirements/oldest.lock")
    for name in ("pyyaml", "anki"):
        declared_range = next(r for r in declared() if canonicalize_name(r.name) == name)
        assert str(declared_range.specifier) == f">={oldest[name]}", name
