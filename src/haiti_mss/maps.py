"""Where the displaced are: maps of Haiti's ten departments (IOM DTM figures on the COD-AB boundaries),
where the displaced came from, and the largest changes between rounds.

Figure functions take rows of the data tables and frames from haiti_mss.departments, and return figures
that carry their alt text and the rows drawn (charts.describe); the sentences are in department_text.
geopandas is imported only when a map is drawn (it adds about a tenth of a second to a kernel's start),
so no notebook that does not draw a map pays for it.
"""

from __future__ import annotations

import functools
import json
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgb
from matplotlib.patches import Patch
from matplotlib.transforms import offset_copy

from . import charts, text
from .department_text import changes_sentence, listing, signed
from .departments import ALL_DEPARTMENTS, NOT_AVAILABLE, OUEST

DTM_CREDIT = "Source: International Organization for Migration (IOM), Displacement Tracking Matrix (DTM)"
GEO_FILE = Path("geo") / "hti-adm1-departments.geojson"
GEO_METADATA = Path("geo") / "metadata.json"
PROJECTION = "EPSG:32618"  # WGS 84 / UTM zone 18N: Haiti without the stretch of plain longitude/latitude
PALETTE = "YlGnBu"  # ColorBrewer sequential, safe for the common colour-vision deficiencies and in grey
NOT_COVERED = "#f2f2f2"
STEPS = (1, 2.5, 5)  # class breaks 10,000, 25,000, 50,000, 100,000, 250,000 ...


# ---------------------------------------------------------------- colour classes and alt texts (pure)

def class_breaks(maximum: float) -> list[int]:
    """Colour classes 0, 10,000, 25,000, 50,000, 100,000 ... up to the first break above `maximum`."""
    breaks, scale = [0], 10_000
    while breaks[-1] <= maximum:
        for step in STEPS:
            breaks.append(int(step * scale))
            if breaks[-1] > maximum:
                break
        scale *= 10
    return breaks


def class_labels(breaks: list[int]) -> list[str]:
    """[0, 10000, 25000] -> ['under 10,000', '10,000–24,999']."""
    out = [f"under {text.num(breaks[1])}"]
    out += [f"{text.num(lo)}–{text.num(hi - 1)}" for lo, hi in zip(breaks[1:-1], breaks[2:])]
    return out


def map_title(rows: pd.DataFrame, round_label: str) -> str:
    top = rows.loc[rows["idps"].idxmax()]
    total = rows["idps"].sum()
    return (f"{round_label}: {top['department']} hosted the most displaced people, "
            f"{text.num(top['idps'])} of {text.num(total)}")


def map_alt(rows: pd.DataFrame, round_label: str, departments: int = ALL_DEPARTMENTS) -> str:
    """What the map shows, for a reader who cannot see it: the round, the most and fewest, the total."""
    r = rows.sort_values("idps", ascending=False)
    top, low = r.iloc[0], r.iloc[-1]
    covered = len(r)
    scope = (f"all {departments} departments" if covered == departments
             else f"the {covered} departments this round covered, of {departments}; the others are shaded as not covered")
    out = (f"Map of Haiti's {departments} departments shaded by the number of internally displaced people in "
           f"{round_label}, for {scope}. {top['department']} hosted the most, {text.num(top['idps'])}")
    if covered > 1:
        out += f"; {low['department']} the fewest, {text.num(low['idps'])}"
    out += f". Total {text.num(r['idps'].sum())}. Each department is labelled with its name and figure."
    return out


def panels_title(panels: dict[str, pd.DataFrame]) -> str:
    """'IDPs hosted outside Ouest grew from 366,998 in Round 7 (May 2024) to 874,377 in Round 10 (June 2025)'."""
    labels = list(panels)
    outside = [p.loc[p["adm1_pcode"] != OUEST, "idps"].sum() for p in (panels[labels[0]], panels[labels[-1]])]
    if outside[0] == outside[1]:
        return f"IDPs hosted outside Ouest: {text.num(outside[0])} in both {labels[0]} and {labels[-1]}"
    verb = "grew" if outside[1] > outside[0] else "fell"
    return f"IDPs hosted outside Ouest {verb} from {text.num(outside[0])} in {labels[0]} to {text.num(outside[1])} in {labels[-1]}"


def panels_alt(panels: dict[str, pd.DataFrame]) -> str:
    """The small multiples: per panel the department with the most IDPs, and the biggest grower overall."""
    labels = list(panels)
    first, last = panels[labels[0]].set_index("adm1_pcode"), panels[labels[-1]].set_index("adm1_pcode")
    parts = [f"{label}: {text.num(p['idps'].sum())} in total, most in {p.loc[p['idps'].idxmax(), 'department']} "
             f"({text.num(p['idps'].max())})" for label, p in panels.items()]
    grown = (last["idps"] - first["idps"]).dropna()
    out = (f"{len(labels)} maps of Haiti's departments on one colour scale, from {labels[0]} to {labels[-1]}. "
           + "; ".join(parts) + ".")
    if not grown.empty:
        g = grown.idxmax()
        out += (f" From {labels[0]} to {labels[-1]} the largest increase was in {last.loc[g, 'department']}, "
                f"from {text.num(first.loc[g, 'idps'])} to {text.num(last.loc[g, 'idps'])}.")
    return out


# ---------------------------------------------------------------- boundaries

@functools.lru_cache(maxsize=4)
def _boundaries(path: str):
    import geopandas as gpd

    return gpd.read_file(path).to_crs(PROJECTION)


def boundaries(data_dir: Path):
    """The ten departments (COD-AB, projected): adm1_pcode and geometry; a copy the caller may change."""
    path = Path(data_dir) / GEO_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; expected the COD-AB department boundaries (data/geo)")
    return _boundaries(str(path)).copy()


def boundary_credit(data_dir: Path) -> str:
    """The attribution the boundary licence (CC BY-IGO) asks for, from data/geo/metadata.json."""
    meta = json.loads((Path(data_dir) / GEO_METADATA).read_text(encoding="utf-8"))
    return f"Boundaries: {meta['attribution']}"


def _label_point(geometry):
    """The point of the department's largest piece farthest from its edges (never on an island such as
    La Gonâve): where a label has the most room."""
    from shapely.ops import polylabel

    parts = getattr(geometry, "geoms", [geometry])
    return polylabel(max(parts, key=lambda p: p.area), tolerance=500)  # metres


# ---------------------------------------------------------------- drawing

def _colours(n: int) -> list:
    cmap = plt.get_cmap(PALETTE)
    return [cmap(0.12 + 0.88 * i / max(n - 1, 1)) for i in range(n)]


def _ink(colour) -> str:
    r, g, b = to_rgb(colour)
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "#1a1a1a"


def _draw(ax, geo, rows: pd.DataFrame, breaks: list[int], names: bool, fontsize: float) -> None:
    from shapely.plotting import patch_from_polygon

    colours = _colours(len(breaks) - 1)
    cmap, norm = ListedColormap(colours), BoundaryNorm(breaks, len(colours))
    shaded = geo.merge(rows[["adm1_pcode", "department", "idps"]], on="adm1_pcode", how="left")
    missing = shaded["idps"].isna()
    # Patches drawn directly: GeoDataFrame.plot() renders the whole figure after each call (draw_idle).
    if missing.any():
        ax.add_collection(PatchCollection([patch_from_polygon(g) for g in shaded.geometry[missing]],
                                          facecolor=NOT_COVERED, edgecolor="#9a9a9a", hatch="///", linewidth=0.6))
    ax.add_collection(PatchCollection([patch_from_polygon(g) for g in shaded.geometry[~missing]],
                                      facecolor=[cmap(norm(v)) for v in shaded["idps"][~missing]], edgecolor="white",
                                      linewidth=0.8))
    for _, d in shaded[~missing].iterrows():
        p = _label_point(d.geometry)
        label = f"{d['department']}\n{text.num(d['idps'])}" if names else text.num(d["idps"])
        fill = cmap(norm(d["idps"]))
        ax.annotate(label, (p.x, p.y), ha="center", va="center", fontsize=fontsize, linespacing=1.1, color=_ink(fill),
                    path_effects=[patheffects.withStroke(linewidth=2, foreground=fill)])
    x0, y0, x1, y1 = geo.total_bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box")


def _legend(fig, breaks: list[int], any_missing: bool, **kw) -> None:
    handles = [Patch(facecolor=c, edgecolor="none", label=lab) for c, lab in zip(_colours(len(breaks) - 1),
                                                                                 class_labels(breaks))]
    if any_missing:
        handles.append(Patch(facecolor=NOT_COVERED, edgecolor="#9a9a9a", hatch="///", label="not covered by the round"))
    fig.legend(handles=handles, title="internally displaced people", fontsize=8, title_fontsize=8.5,
               alignment="left", **kw)


def _credits(fig, data_dir: Path, detail: str, y: float, boundaries: bool = True) -> None:
    """IOM's credit line; the boundaries' attribution only under a chart that draws them (a map)."""
    drawn = f"{boundary_credit(data_dir)}. " if boundaries else ""
    fig.text(0.01, y, f"{DTM_CREDIT}, {detail}.\n{drawn}Compiled in this project's data/.",
             ha="left", va="top", fontsize=7.5, color="#444444")


def _drawn(rows: pd.DataFrame, columns=("round_id", "round_label", "adm1_pcode", "department", "idps", "source_id")):
    return rows[[c for c in columns if c in rows]].reset_index(drop=True)


def department_map(rows: pd.DataFrame, round_label: str, data_dir: Path, *, departments: int = ALL_DEPARTMENTS):
    """A choropleth of IDPs by department for one round, each department named with its figure."""
    geo = boundaries(data_dir)
    breaks = class_breaks(rows["idps"].max())
    fig, ax = plt.subplots(figsize=(charts.WIDTH, 6.4))
    _draw(ax, geo, rows, breaks, names=True, fontsize=8)
    ax.set_title(textwrap.fill(map_title(rows, round_label), 64), loc="left", fontsize=11.5)
    _legend(fig, breaks, len(rows) < len(geo), loc="upper left", bbox_to_anchor=(0.02, 0.9), frameon=False)
    fig.tight_layout()
    _credits(fig, data_dir, round_label, 0.03)
    return charts.describe(fig, alt=map_alt(rows, round_label, departments), data=_drawn(rows),
                           name="idps-by-department-map")


def change_maps(panels: dict[str, pd.DataFrame], data_dir: Path, title: str):
    """Small multiples: one map per round, on the colour scale of the largest figure of all panels."""
    geo = boundaries(data_dir)
    breaks = class_breaks(max(p["idps"].max() for p in panels.values()))
    columns = 2 if len(panels) <= 4 else 3
    rows_n = -(-len(panels) // columns)
    # Size the figure to the map's shape so that each panel fills its cell (bigger labels in print).
    x0, y0, x1, y1 = geo.total_bounds
    panel_h = charts.WIDTH / columns * (y1 - y0) / (x1 - x0)
    top, gap, bottom = 0.4, 0.45, 1.05  # inches: title, panel titles, legend and credits
    height = top + rows_n * (panel_h + gap) + bottom
    fig, axes = plt.subplots(rows_n, columns, figsize=(charts.WIDTH, height), squeeze=False)
    fig.subplots_adjust(left=0.0, right=1.0, top=1 - (top + gap) / height, bottom=bottom / height, wspace=0.03,
                        hspace=gap / panel_h)
    labels = list(panels)
    for ax, (label, rows) in zip(axes.flat, panels.items()):
        _draw(ax, geo, rows, breaks, names=False, fontsize=7.5)
        ax.set_title(f"{label}: {text.num(rows['idps'].sum())}", loc="left", fontsize=9.5)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_axis_off()
    fig.suptitle(title, x=0.0, y=1 - 0.1 / height, ha="left", va="top", fontsize=11.5, fontweight="bold")
    missing = any(len(p) < len(geo) for p in panels.values())
    _legend(fig, breaks, missing, loc="lower left", bbox_to_anchor=(0.0, 0.25 / height), ncol=4, frameon=False)
    _credits(fig, data_dir, f"{labels[0]} to {labels[-1]}", 0.22 / height)
    drawn = pd.concat([_drawn(p) for p in panels.values()], ignore_index=True)
    return charts.describe(fig, alt=panels_alt(panels), data=drawn, name="idps-by-department-per-round")


# ---------------------------------------------------------------- where they came from, what changed

ORIGIN_GROUPS = {  # column: (legend label, colour)
    "from_ouest": ("fled from Ouest", charts.BLUE),
    "within": ("displaced within the department", charts.ORANGE),
    "from_other": ("fled from another department", charts.GREEN),
    "not_recorded": ("department of origin not recorded", charts.GREY),
}


def origin_groups(flows: pd.DataFrame) -> pd.DataFrame:
    """Per department hosting IDPs: how many fled from Ouest, were displaced within the department, fled
    from another department, or from a department IOM did not record; largest first.
    flows: departments.flows() of one round (origin_adm1_pcode, adm1_pcode, department, idps)."""
    f = flows.copy()
    group = pd.Series("from_other", index=f.index)
    group[f["origin_adm1_pcode"] == OUEST] = "from_ouest"
    group[f["origin_adm1_pcode"] == f["adm1_pcode"]] = "within"
    group[f["origin_adm1_pcode"] == NOT_AVAILABLE] = "not_recorded"
    table = f.assign(group=group).pivot_table(index=["adm1_pcode", "department"], columns="group", values="idps",
                                              aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(ORIGIN_GROUPS), fill_value=0).astype("int64")
    table["idps"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index().sort_values(["idps", "adm1_pcode"], ascending=[False, True]).reset_index(drop=True)


def origins_alt(groups: pd.DataFrame, sentence: str, round_label: str) -> str:
    outside = groups[groups["adm1_pcode"] != OUEST]
    out = (f"Bar chart: for each department, the share of its internally displaced people who fled from Ouest, "
           f"were displaced within the department, fled from another department, or whose department of origin "
           f"IOM did not record, in {round_label}. {sentence}")
    if outside["idps"].sum() > 0:
        out += (f" Of the {text.num(outside['idps'].sum())} IDPs hosted outside Ouest, "
                f"{text.num(outside['from_ouest'].sum())} had fled from Ouest.")
    return out


def origins_chart(groups: pd.DataFrame, sentence: str, round_label: str, data_dir: Path, drawn: pd.DataFrame):
    """100% bars: where the IDPs in each department came from; the finding (`sentence`) is the title.
    drawn: the dtm_origins rows summed into the bars."""
    g = groups.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(charts.WIDTH, 0.36 * len(g) + 1.9))
    left = pd.Series(0.0, index=g.index)
    for column, (label, colour) in ORIGIN_GROUPS.items():
        share = g[column] / g["idps"]
        ax.barh(g["department"], share, left=left, color=colour, label=label, height=0.7)
        for i in g.index[share >= 0.08]:
            ax.text(left[i] + share[i] / 2, i, text.pct(share[i], 0), ha="center", va="center", fontsize=8,
                    color="white" if column != "within" else "#1a1a1a")
        left += share
    for i, n in enumerate(g["idps"]):
        ax.text(1.01, i, text.num(n), va="center", fontsize=8, color="#333333")
    ax.text(1.01, len(g) - 0.35, "IDPs", fontsize=8, color="#333333", fontweight="bold")
    ax.set_xlim(0, 1)
    charts.percent(ax, "x")
    ax.grid(axis="y", visible=False)
    # Below the tick labels at a fixed distance (an axes fraction would overlap them when there are few bars).
    below = offset_copy(ax.transAxes, fig=fig, y=-0.38, units="inches")
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, 0.0), bbox_transform=below, ncol=2, fontsize=8.5)
    ax.set_title(sentence, loc="left", fontsize=11, wrap=True)
    ax.set_xlabel("")
    fig.tight_layout()
    _credits(fig, data_dir, round_label, 0.0, boundaries=False)
    return charts.describe(fig, alt=origins_alt(groups, sentence, round_label), data=drawn.reset_index(drop=True),
                           name="idps-by-department-and-origin")


def change_rows(changes: pd.DataFrame, dtm_departments: pd.DataFrame, from_round: str, to_round: str) -> pd.DataFrame:
    """departments.department_change() with the two rounds and the source ids of the rows it compares."""
    rows = dtm_departments[dtm_departments["round_id"].isin([from_round, to_round])]
    ids = rows.groupby("adm1_pcode")["source_id"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    out = changes.assign(round_from=from_round, round_to=to_round, source_id=changes["adm1_pcode"].map(ids))
    return out[["adm1_pcode", "department", "round_from", "idps_from", "round_to", "idps_to", "change", "growth",
                "newly_covered", "source_id"]]


def changes_alt(changes: pd.DataFrame, before: str, after: str) -> str:
    c = changes.dropna(subset=["change"])
    out = (f"Bar chart of the change in internally displaced people per department between {before} and {after}. "
           + changes_sentence(changes, before, after))
    if not c.empty:
        out += f" Changes range from {signed(c['change'].min())} to {signed(c['change'].max())}."
    return out


def changes_chart(changes: pd.DataFrame, before: str, after: str, data_dir: Path):
    """Change per department between two rounds, largest increase on top. changes: change_rows();
    departments one of the rounds did not cover have no change and no bar."""
    c = changes.dropna(subset=["change"]).sort_values("change").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(charts.WIDTH, 0.36 * len(c) + 1.4))
    colours = [charts.BLUE if v >= 0 else charts.VERMILION for v in c["change"]]
    ax.barh(c["department"], c["change"].astype(float), color=colours, height=0.7)
    span = max(float(c["change"].abs().max()), 1.0)
    for i, r in c.iterrows():
        grown = "" if pd.isna(r["growth"]) else f", {signed(round(100 * r['growth']))}%"
        ax.text(r["change"] + (0.01 if r["change"] >= 0 else -0.01) * span, i, f"{signed(r['change'])}{grown}",
                va="center", ha="left" if r["change"] >= 0 else "right", fontsize=8, color="#333333")
    ax.axvline(0, color="#333333", lw=0.8)
    # Room for the labels only on the side where there are bars.
    ax.set_xlim(c["change"].min() - 0.25 * span if c["change"].min() < 0 else 0,
                max(c["change"].max(), 0) + 0.3 * span)
    charts.thousands(ax, "x")
    ax.grid(axis="y", visible=False)
    top = c.iloc[-1]
    if len(c) == 1:  # Rounds 1 to 3 counted only in Ouest
        title = (f"From {before} to {after}, {top['department']}, the only department counted in both rounds, "
                 f"{'gained' if top['change'] >= 0 else 'lost'} {text.num(abs(top['change']))} displaced people")
    elif top["change"] > 0:
        title = f"From {before} to {after}, {top['department']} gained the most displaced people: {signed(top['change'])}"
    else:
        title = f"From {before} to {after}, no department gained displaced people"
    ax.set_title(title, loc="left", fontsize=11, wrap=True)
    ax.set_xlabel("change in internally displaced people")
    fig.tight_layout()
    _credits(fig, data_dir, listing([before, after]), 0.0, boundaries=False)
    return charts.describe(fig, alt=changes_alt(changes, before, after), data=changes.reset_index(drop=True),
                           name="idps-change-by-department")
