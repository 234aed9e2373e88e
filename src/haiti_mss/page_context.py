"""What a report page says about itself, besides the notebook: parameters used and how each was set, the
data vintage, provenance (commit, tools, data hashes) and how to re-run it, in the report's language.

    context = report_context(nb, notebook="00_brief", variant="latest-fr", ...)   # plain values; the template escapes

The language is the notebook's own `language` parameter (nb.metadata.papermill.parameters): its words
come from the catalog, its dates from the formatter (haiti_mss.i18n, haiti_mss.text).
"""

from __future__ import annotations

import platform
import re
import shlex
import subprocess
from datetime import date, datetime, timezone
from importlib import metadata as _metadata
from pathlib import Path
from typing import Any

from . import paths
from .marks import N_

_H1 = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def first_heading(nb) -> str | None:
    """The text of the notebook's first H1 (Markdown cell or Markdown output)."""
    for cell in nb.get("cells", []):
        sources = []
        if cell.get("cell_type") == "markdown":
            sources.append(cell.get("source", ""))
        for out in cell.get("outputs", []) or []:
            text = (out.get("data") or {}).get("text/markdown")
            if text:
                sources.append(text)
        for source in sources:
            source = "".join(source) if isinstance(source, list) else source
            match = _H1.search(source)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return None


VERSIONED = ("pandas", "seaborn", "matplotlib", "papermill", "nbconvert", "weasyprint")
# The default docs of parameters.py that a page shows for a parameter left unset, marked here for the
# catalog (tests/test_i18n.py checks that each is still a parameter's default doc and translated).
DEFAULT_DOCS = (N_("data/ in the project"), N_("none (the notebook's own title)"))


def git_description(root: Path | None = None, tr=None) -> str:
    """The short commit hash, or 'uncommitted changes ...' when the tree differs from it (or no git)."""
    from . import i18n

    tr = tr or i18n.translator()
    root = root or paths.ROOT
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10)
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True,
                                text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return tr.gettext("uncommitted changes (git is not available)")
    if head.returncode != 0:
        return tr.gettext("uncommitted changes (not a git commit)")
    if status.returncode != 0 or status.stdout.strip():
        return tr.gettext("uncommitted changes (on top of commit {commit})").format(commit=head.stdout.strip())
    return tr.gettext("commit {commit}").format(commit=head.stdout.strip())


def versions() -> list[dict[str, str]]:
    out = [{"name": "python", "version": platform.python_version()}]
    for name in VERSIONED:
        try:
            out.append({"name": name, "version": _metadata.version(name)})
        except _metadata.PackageNotFoundError:
            out.append({"name": name, "version": "not installed"})
    return out


def _shown(value: Any, fmt=None) -> str:
    """A parameter's value as the table shows it: dates as ISO (as they are passed), numbers in the language."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return fmt.num(value) if fmt else f"{value:,}"
    return str(value)


def report_language(nb) -> str:
    """The report's language: the `language` parameter papermill passed the notebook (default English)."""
    from . import i18n

    passed = (nb.get("metadata", {}).get("papermill", {}) or {}).get("parameters", {}) or {}
    try:
        return i18n.checked(passed.get("language"))
    except ValueError:  # ParameterError: a notebook run with a bad value never gets this far; show English
        return i18n.SOURCE_LANGUAGE


_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.,:/+@%=-]+")


def set_value(value: Any) -> str:
    """A value as it goes inside SET: as is when plain, else in double quotes (the CLI splits SET like a shell
    line, Python's shlex, so a value with spaces, quotes or markup stays one value)."""
    text = _plain(value)
    if _SAFE_VALUE.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rerun_command(variant: str, overrides: dict[str, Any] | None, out: str | None) -> str:
    """`make report VARIANT=... SET='...' OUT=...` that rebuilds this report: SET quoted for the shell, each value
    quoted inside it (README, "Re-running with other parameters"), so every value comes back intact."""
    command = f"make report VARIANT={shlex.quote(variant)}"
    sets = " ".join(f"{k}={set_value(v)}" for k, v in (overrides or {}).items())
    if sets:
        command += f" SET={shlex.quote(sets)}"
    return command + (f" OUT={shlex.quote(out)}" if out else "")


def _notebook_tables(name: str | None) -> list[str] | None:
    from .manifest import notebook_tables

    return notebook_tables(name) if name else None


def parameters_shown(notebook: str | None) -> list[str]:
    """The parameters a page lists under "Parameters used": those its notebook reads (manifest.parameters_read;
    every parameter for a notebook outside the manifest), in the order parameters.py declares them."""
    from .manifest import parameters_read
    from .parameters import PARAMETERS

    read = parameters_read(notebook) if notebook else None
    return [name for name in PARAMETERS if read is None or name in read]


def report_context(nb, *, notebook: str | None = None, variant: str | None = None,
                   variant_title: str | None = None, variant_description: str | None = None,
                   sources: dict[str, str] | None = None, overrides: dict[str, Any] | None = None,
                   out: str | None = None, built_at: datetime | None = None, git: str | None = None,
                   software: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Everything the template shows besides the notebook itself (plain values; the template escapes).

    sources: how each passed parameter was set, e.g. {"planned_strength": "variant gsf-5550"};
    overrides: the --set values (for the re-run command).
    """
    from . import data, figures, i18n, parameters, text

    passed = dict((nb.get("metadata", {}).get("papermill", {}) or {}).get("parameters", {}) or {})
    recorded = figures.extract(nb)
    language = report_language(nb)
    tr, fmt = i18n.translator(language), text.formatter(language)
    sources = sources or {}
    rows = []
    for name in parameters_shown(notebook):   # not those it never reads (02 has no planned strength)
        param = parameters.PARAMETERS[name]
        given = passed.get(name)
        value = recorded.get(name, given)
        if given is not None:
            source = _source_shown(sources.get(name, "override"), tr)
            css = "override"
        else:
            source = tr.pgettext("parameter source", "default")
            css = "default"
        shown = _shown(value, fmt) if value is not None else tr.gettext(param.default_doc)  # a default not resolved
        rows.append({"name": name, "value": shown, "source": source, "source_class": css, "doc": param.doc})

    folder = paths.data_dir(passed.get("data_dir"))
    vintage, vintage_note, data_files = [], "", []
    try:
        tables = data.load_tables(_notebook_tables(notebook), folder)
        vintage = [{"table": k, "newest": fmt.day(v)} for k, v in sorted(data.data_vintage(tables).items())]
        data_files = [{"path": k, "sha256": v.removeprefix("sha256:")} for k, v in sorted(data.file_hashes(folder).items())]
    except Exception as exc:  # the page still renders; it says why the vintage is missing
        vintage_note = tr.gettext("Data vintage unavailable: {reason}").format(reason=str(exc).splitlines()[0])

    built_at = built_at or datetime.now(timezone.utc)
    as_of = recorded.get("as_of") or passed.get("as_of")
    var = variant or "latest"
    rerun = [
        {"command": "make reports", "doc": tr.gettext("rebuild every variant in params/ (only what changed)")},
        {"command": rerun_command(var, overrides, out),
         "doc": (tr.gettext("this variant with these overrides") if overrides else tr.gettext("this variant"))
                + tr.gettext("; add NAME=VALUE pairs to SET to change parameters")},
        {"command": "haiti-report params", "doc": tr.gettext("list every parameter, its default and allowed range")},
    ]
    title = first_heading(nb) or (notebook or "Report")
    return {
        "page_title": title,
        "language": language,
        "notebook": notebook,
        "variant": variant,
        "variant_title": variant_title,
        "variant_description": variant_description,
        "as_of": fmt.day(as_of) if as_of else tr.gettext("the newest figure in the data"),
        # TRANSLATORS: when the report was built, e.g. "27 November 2026, 18:03 UTC".
        "built_at": tr.gettext("{day}, {time} UTC").format(day=fmt.day(built_at.date()), time=built_at.strftime("%H:%M")),
        "parameters": rows,
        "data_dir": str(folder),
        "vintage": vintage,
        "vintage_note": vintage_note,
        "data_files": data_files,
        "git": git or git_description(tr=tr),
        "versions": software or versions(),
        "rerun": rerun,
    }


def _source_shown(source: str, tr) -> str:
    """How a parameter was set, as the build names it ('variant latest', '--set', 'override'), in the language."""
    if source.startswith("variant "):
        return tr.pgettext("parameter source", "variant {name}").format(name=source.removeprefix("variant "))
    if source == "override":
        return tr.pgettext("parameter source", "override")
    return source  # "--set": the CLI's own flag


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
