"""``import bilevel_mp`` and ``bilevel-mp --help`` load no solver and no modeling layer; every
public name still resolves, also after the subpackages that share its name are imported."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("casadi", "pyomo", "highspy", "scipy")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True).stdout
    return set(out.split())


def test_importing_the_package_loads_no_heavy_dependency():
    assert _loaded_after("import bilevel_mp") == set()


def test_the_command_line_help_loads_no_heavy_dependency():
    code = ("import contextlib, io\nfrom bilevel_mp.cli import main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['--help'])")
    assert _loaded_after(code) == set()


def test_every_public_name_resolves_and_keeps_its_meaning_after_the_subpackages_load():
    import bilevel_mp as bmp
    import bilevel_mp.bench.runner  # noqa: F401  (the subpackages named like functions)
    import bilevel_mp.methods.auto  # noqa: F401

    assert len(bmp.__all__) >= 50 and "solve" in bmp.__all__
    for name in bmp.__all__:
        assert getattr(bmp, name) is not None, name
    assert callable(bmp.methods) and "auto" in bmp.methods()
    assert callable(bmp.bench) and bmp.bench.__name__ == "bench"
