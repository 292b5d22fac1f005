"""Certification reports: one JSON document (:func:`document`), and from it a terminal table, JUnit XML (one
``<testcase>`` per case, so CI systems list each case as a test) and a single self-contained HTML page with
the evidence of every case.

The document::

    {"format": "rsc-mock-certification", "version": 1, "mode": "passive" | "guided",
     "generatedAt": epoch ms (emulator clock), "emulator": base URL | None,
     "customer": {"uniqueForeignId", "application"},
     "summary": {"total", "pass", "fail", "not-yet-exercised"},
     "cases": [case catalogue entry (Case.to_json) + {"result": Result.to_json, "durationMs"?}],
     "notDescribed": [{"id", "module", "source", "reason"}]}
"""

from __future__ import annotations

import datetime
import html
import json
import xml.etree.ElementTree as ElementTree

from mock_server.certification.model import FAIL, MODULES, NOT_EXERCISED, PASS, STATUSES, Case, Result

FORMAT, VERSION = "rsc-mock-certification", 1
MARKS = {PASS: "✔ pass", FAIL: "✘ fail", NOT_EXERCISED: "… not yet exercised"}
STYLES = {PASS: "green", FAIL: "bold red", NOT_EXERCISED: "yellow"}


def document(mode: str, cases: list[Case], results: list[Result], customer: dict, generated_at: int,
             undescribed=(), emulator: str | None = None, durations: dict | None = None) -> dict:
    """The report document (see the module docstring) of ``results`` (aligned with ``cases``)."""
    entries = []
    for case, result in zip(cases, results, strict=True):
        entry = {**case.to_json(), "result": result.to_json()}
        if durations and case.id in durations:
            entry["durationMs"] = durations[case.id]
        entries.append(entry)
    summary = {"total": len(results), **{status: sum(r.status == status for r in results) for status in STATUSES}}
    return {"format": FORMAT, "version": VERSION, "mode": mode, "generatedAt": generated_at, "emulator": emulator,
            "customer": customer, "summary": summary, "cases": entries,
            "notDescribed": [item.to_json() for item in undescribed]}


def passed(doc: dict) -> bool:
    """True when every case of the report passed (exit code 0)."""
    return doc["summary"]["total"] > 0 and doc["summary"][PASS] == doc["summary"]["total"]


def to_json(doc: dict) -> str:
    """The document as indented JSON text."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def iso(epoch_ms: int) -> str:
    """``2026-11-29T10:15:02Z``."""
    return datetime.datetime.fromtimestamp(epoch_ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def evidence_lines(result: dict) -> list[str]:
    """The evidence of a result as plain lines: text, then request ids, entities and instants."""
    lines = []
    for item in result["evidence"]:
        lines.append(f"- {item['text']}")
        if item["requests"]:
            lines.append(f"    requests: {', '.join(item['requests'])}")
        if item["entities"]:
            lines.append(f"    entities: {', '.join(item['entities'])}")
        if item["at"]:
            lines.append(f"    at: {', '.join(iso(at) for at in item['at'])}")
    lines += [f"- awaiting: {text}" for text in result.get("awaiting", [])]
    return lines


# ---- terminal ----------------------------------------------------------------------------------------------------

def print_table(doc: dict, console) -> None:
    """Print the report as a table on a :class:`rich.console.Console`: one row per case, then the summary and
    the cases the public record does not describe."""
    from rich.markup import escape
    from rich.table import Table

    grid = Table(title=f"RSC certification — {doc['customer'].get('uniqueForeignId')} ({doc['mode']})",
                 show_lines=False, expand=False)
    grid.add_column("case", no_wrap=True)
    grid.add_column("module", justify="right")
    grid.add_column("title")
    grid.add_column("result", no_wrap=True)
    grid.add_column("summary")
    for entry in doc["cases"]:
        status = entry["result"]["status"]
        grid.add_row(escape(entry["id"]), str(entry["module"]), escape(entry["title"]),
                     f"[{STYLES[status]}]{MARKS[status]}[/]", escape(entry["result"]["summary"]))
    console.print(grid)
    summary = doc["summary"]
    console.print(f"{summary['total']} cases: [green]{summary[PASS]} passed[/], [red]{summary[FAIL]} failed[/],"
                  f" [yellow]{summary[NOT_EXERCISED]} not yet exercised[/]")
    if doc["notDescribed"]:
        console.print(escape("Not graded: " + "; ".join(f"{item['id']} (module {item['module']})"
                                                        for item in doc["notDescribed"]))
                      + " — see the JSON or HTML report.")


# ---- JUnit XML ---------------------------------------------------------------------------------------------------

def to_junit(doc: dict) -> str:
    """JUnit XML: ``<testsuites>`` with one ``<testsuite>`` per module and one ``<testcase>`` per case; a
    failure carries the summary as its message and the evidence as its text, a case not yet exercised is
    ``<skipped>``, a pass keeps its evidence in ``<system-out>``."""
    root = ElementTree.Element("testsuites", name="RSC certification", tests=str(doc["summary"]["total"]),
                               failures=str(doc["summary"][FAIL]), skipped=str(doc["summary"][NOT_EXERCISED]),
                               time=seconds(sum(entry.get("durationMs", 0) for entry in doc["cases"])))
    for module, name in MODULES.items():
        entries = [entry for entry in doc["cases"] if entry["module"] == module]
        if not entries:
            continue
        suite = ElementTree.SubElement(
            root, "testsuite", name=f"Module {module} - {name}", tests=str(len(entries)),
            failures=str(sum(e["result"]["status"] == FAIL for e in entries)), errors="0",
            skipped=str(sum(e["result"]["status"] == NOT_EXERCISED for e in entries)),
            time=seconds(sum(e.get("durationMs", 0) for e in entries)), timestamp=iso(doc["generatedAt"]))
        for entry in entries:
            result = entry["result"]
            case = ElementTree.SubElement(suite, "testcase", classname=f"rsc.certification.module{module}",
                                          name=f"{entry['id']} {entry['title']}",
                                          time=seconds(entry.get("durationMs", 0)))
            text = "\n".join([f"source: {entry['source']}"] + evidence_lines(result))
            if result["status"] == FAIL:
                ElementTree.SubElement(case, "failure", message=result["summary"], type="certification").text = text
            elif result["status"] == NOT_EXERCISED:
                ElementTree.SubElement(case, "skipped", message=result["summary"]).text = text
            else:
                ElementTree.SubElement(case, "system-out").text = text
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def seconds(ms: float) -> str:
    """Milliseconds as JUnit's seconds: ``1.234``."""
    return f"{ms / 1000:.3f}"


# ---- HTML --------------------------------------------------------------------------------------------------------

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;color:#1d2226;
padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#555}.counts span{display:inline-block;margin-right:1rem;font-weight:600}
.pass{color:#057642}.fail{color:#b24020}.not-yet-exercised{color:#915907}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem;background:#fff}
details[open]{background:#fafafa}summary{cursor:pointer}summary .id{font-weight:600;margin-right:.4rem}
.badge{float:right;font-weight:600}.why{margin:.4rem 0}ul{margin:.3rem 0 .6rem 1.2rem;padding:0}
code{background:#eef3f8;padding:0 .25rem;border-radius:3px;font-size:.85em}.small{font-size:.85em;color:#555}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #eee}
"""


def to_html(doc: dict) -> str:
    """One self-contained HTML page (inline style, no script, no external resource) with every case, its
    source, what it needs, the provenance of its criteria and its evidence."""
    esc = html.escape
    summary = doc["summary"]
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RSC certification report"
             f"</title><style>{CSS}</style></head><body>",
             f"<h1>RSC certification report — {esc(str(doc['customer'].get('uniqueForeignId')))}</h1>",
             f"<p class=\"meta\">{esc(doc['mode'])} run, graded {esc(iso(doc['generatedAt']))} on the emulator's clock"
             f"{' at ' + esc(doc['emulator']) if doc.get('emulator') else ''}; customer application"
             f" <code>{esc(str(doc['customer'].get('application')))}</code></p>",
             "<p class=\"counts\">" + "".join(f"<span class=\"{status}\">{summary[status]} {esc(MARKS[status])}</span>"
                                                for status in STATUSES) + f"<span>{summary['total']} cases</span></p>"]
    for module, name in MODULES.items():
        entries = [entry for entry in doc["cases"] if entry["module"] == module]
        if not entries:
            continue
        parts.append(f"<h2>Module {module} — {esc(name)}</h2>")
        for entry in entries:
            parts.append(case_html(entry))
    if doc["notDescribed"]:
        parts.append("<h2>Not graded</h2><table><tr><th>case</th><th>module</th><th>why</th></tr>")
        parts += [f"<tr><td><a href=\"{esc(item['source'])}\">{esc(item['id'])}</a></td><td>{item['module']}</td>"
                  f"<td>{esc(item['reason'])}</td></tr>" for item in doc["notDescribed"]]
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def case_html(entry: dict) -> str:
    """One case as a ``<details>`` block (open when it did not pass)."""
    esc = html.escape
    result = entry["result"]
    status = result["status"]
    aliases = f" <span class=\"small\">({esc(', '.join(entry['aliases']))})</span>" if entry["aliases"] else ""
    duration = f" · {entry['durationMs'] / 1000:.2f} s" if "durationMs" in entry else ""
    items = []
    for item in result["evidence"]:
        extra = []
        if item["requests"]:
            extra.append("requests " + ", ".join(f"<code>{esc(r)}</code>" for r in item["requests"]))
        if item["entities"]:
            extra.append("entities " + ", ".join(f"<code>{esc(e)}</code>" for e in item["entities"]))
        if item["at"]:
            extra.append("at " + ", ".join(esc(iso(at)) for at in item["at"]))
        detail = f"<br><span class=\"small\">{'; '.join(extra)}</span>" if extra else ""
        items.append(f"<li>{esc(item['text'])}{detail}</li>")
    items += [f"<li class=\"not-yet-exercised\">awaiting: {esc(text)}</li>" for text in result.get("awaiting", [])]
    documented = "".join(f"<li>{esc(text)}</li>" for text in entry["provenance"]["documented"])
    inferred = "".join(f"<li>{esc(text)}</li>" for text in entry["provenance"]["inferred"]) or "<li>nothing</li>"
    return (f"<details{' open' if status != PASS else ''}><summary><span class=\"id\">{esc(entry['id'])}</span> "
            f"{esc(entry['title'])}{aliases}<span class=\"badge {status}\">{esc(MARKS[status])}</span></summary>"
            f"<p class=\"why {status}\">{esc(result['summary'])}</p>"
            f"<p class=\"small\">source <a href=\"{esc(entry['source'])}\">{esc(entry['source'])}</a>{duration}</p>"
            f"<p><b>Needs from the partner:</b> {esc(entry['needs'])}</p>"
            f"<b>Evidence</b><ul>{''.join(items) or '<li>none</li>'}</ul>"
            f"<b>Documented criteria</b><ul>{documented}</ul><b>Inferred criteria</b><ul>{inferred}</ul></details>")
