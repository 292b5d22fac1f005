"""The catalogue: every certification case the public record describes, in LinkedIn's order, and those it
names without describing (or that the emulator cannot judge).

:func:`select` picks cases by module and id (an id or alias, any case: ``rsc-401``, ``Test Case 14``); an
unknown id or a module outside 1-5 raises :class:`SelectionError` saying what exists.
"""

from __future__ import annotations

from mock_server.certification.cases import module1, module2, module3, module4, module5
from mock_server.certification.cases.common import CERT1, CERT2, CERT3
from mock_server.certification.model import MODULES, Case, Undescribed

CASES: tuple[Case, ...] = module1.CASES + module2.CASES + module3.CASES + module4.CASES + module5.CASES

UNDESCRIBED = (
    Undescribed("RSC-106 …", 1, CERT1, "not described in the public record: module 1's rows after RSC-105 could not"
                                       " be read (the page was read only in part)"),
    Undescribed("RSC-204 …", 2, CERT2, "not described in the public record: module 2's newer rows after RSC-203 could"
                                       " not be read; the older Test Cases 3-5 are graded under those names"),
    Undescribed("RSC-301 …", 3, CERT3, "not described in the public record: module 3's current page (RSC-3xx) could"
                                       " not be read; its older Test Cases 6-10 are graded under those names"),
    Undescribed("Test Case 9", 3, CERT3, "described, but judged by eye: 'Sign in to LinkedIn' in a signed-out profile"
                                         " widget and scrolling inside the ATS page are LinkedIn's widget UI; the"
                                         " emulator's widget has no LinkedIn session"),
    Undescribed("Test Case 11 …", 3, CERT3, "not described in the public record: the older module 3 page lists"
                                            " later cases (stub profiles, prospect notes) whose text was cut off"),
)


class SelectionError(ValueError):
    """A case id that does not exist, a module outside 1-5, or a case outside the module asked for."""


def find(case_id: str) -> Case:
    """The case named ``case_id`` (its id or an alias, any letter case, spaces or dashes alike): a case whose
    id is the name wins over one that only has it as an alias."""
    wanted = normal(case_id)
    for case in CASES:
        if normal(case.id) == wanted:
            return case
    for case in CASES:
        if wanted in {normal(alias) for alias in case.aliases}:
            return case
    undescribed = next((item for item in UNDESCRIBED if normal(item.id.rstrip(" …")) == wanted), None)
    if undescribed is not None:
        raise SelectionError(f"{case_id}: {undescribed.reason}")
    raise SelectionError(f"no certification case {case_id!r}; the cases are {', '.join(case.id for case in CASES)}")


def normal(name: str) -> str:
    """A case name compared loosely: lower case, spaces and dashes dropped."""
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


def select(module: int | None = None, case_id: str | None = None) -> list[Case]:
    """The cases of ``module`` (all when None), or the one named ``case_id``; :class:`SelectionError` for an
    unknown id, a module outside 1-5, or a case that is not in ``module``."""
    if module is not None and module not in MODULES:
        raise SelectionError(f"module {module} does not exist: certification modules are 1 to {max(MODULES)}"
                             f" ({'; '.join(f'{n} {name}' for n, name in MODULES.items())})")
    if case_id is not None:
        case = find(case_id)
        if module is not None and case.module != module:
            raise SelectionError(f"{case.id} is in module {case.module}, not module {module}")
        return [case]
    return [case for case in CASES if module is None or case.module == module]
