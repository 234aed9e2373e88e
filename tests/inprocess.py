"""Execute a notebook in this process, as papermill would but without a kernel: the parameters go into
papermill's own injected cell (so start() reads them as it does under papermill), each code cell runs in
an IPython shell, and its displayed outputs are kept. About ten times faster than a kernel per run, so
the parameter-space tests can execute notebooks at many dates."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import nbformat

from haiti_mss import figures, paths

os.environ.setdefault("IPYTHONDIR", str(Path(tempfile.gettempdir()) / "haiti-mss-test-cache" / "ipython"))


@contextlib.contextmanager
def shell():
    """A fresh IPython shell with an in-memory history, cleared afterwards: a later start() called in this
    process outside a notebook must not read the parameters cells of this run."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance(config=config)
    try:
        yield ip
    finally:
        ip.history_manager.reset(new_session=False)
        InteractiveShell.clear_instance()


def execute(name: str, notebooks_dir: Path | None = None, render: bool = True, **parameters) -> tuple[nbformat.NotebookNode, dict]:
    """Run notebooks/<name>.ipynb with `parameters`; return the executed notebook and its recorded figures.
    An error in a cell is raised as it is (e.g. ParameterError), after the cells before it ran.
    render=False builds every chart but does not draw it to PNG (two thirds of a run's time): a sweep over many
    dates checks the prose and the figures, and a few runs with render=True check the drawing."""
    from IPython.utils.capture import capture_output
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(Path(notebooks_dir or paths.NOTEBOOKS_DIR) / f"{name}.ipynb", as_version=4)
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:  # as papermill prepares a notebook before it parameterizes it
        cell.metadata.setdefault("tags", [])
    nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
    with shell() as ip:
        ip.display_formatter.formatters["image/png"].enabled = render
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            with capture_output() as captured:
                result = ip.run_cell(cell.source, store_history=True)
            cell.outputs = [nbformat.v4.new_output("display_data", data=o.data, metadata=o.metadata)
                            for o in captured.outputs]
            if captured.stdout:
                cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=captured.stdout))
            if not result.success:
                raise result.error_in_exec or result.error_before_exec
    import matplotlib.pyplot as plt

    plt.close("all")
    return nb, figures.extract(nb)


def prose(nb) -> str:
    """Every Markdown and HTML output of an executed notebook, joined."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(data.get("text/markdown", "") + data.get("text/html", ""))
    return "\n".join(parts)
