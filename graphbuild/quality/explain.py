"""Human-readable account of what was extracted from one article, and why."""

from __future__ import annotations

from graphbuild.annotations import Annotations, Evidence


def _sentence(text: str, span: Evidence, width: int = 160) -> str:
    """The evidence span in its sentence, with the span marked by [[ ]]."""
    span = span.trimmed()
    start = max(text.rfind("\n", 0, span.start), text.rfind(". ", 0, span.start) + 1, 0)
    end_candidates = [i for i in (text.find("\n", span.end), text.find(". ", span.end)) if i >= 0]
    end = min(end_candidates) + 1 if end_candidates else len(text)
    before = text[start : span.start].lstrip()
    after = text[span.end : end].rstrip()
    marked = f"{before}[[{span.exact}]]{after}".replace("\n", " ")
    return marked if len(marked) <= width else marked[: width - 1] + "…"


def _undated(kind: str) -> str:
    if kind in ("Meeting", "ScheduledMeeting"):
        return "(no date: kept without one)"
    return "(no date: left out of the graph)"


def explain(ann: Annotations) -> str:
    """Every fact with its rule, confidence and evidence sentence."""
    text = ann.article.text
    label = {e.id: e.label for e in ann.entities}
    lines = [
        f"article {ann.article.id}  extractor {ann.extractor}"
        + ("  (curated)" if ann.curated else ""),
        f"reference date {ann.reference_date}"
        if ann.reference_date
        else "reference date unknown: the metadata gives no 'published' date and the text no "
        "dateline, so relative dates ('on Monday') cannot be resolved and events dated by them "
        "are dropped or kept without a date; give 'published' in the article's .json sidecar, "
        "or --reference-date YYYY-MM-DD",
        "",
        "entities:",
    ]
    for e in ann.entities:
        link = f"  wd:{e.qid} ({e.link_source})" if e.qid else "  (unlinked)"
        aliases = f"  aka {', '.join(e.aliases)}" if e.aliases else ""
        lines.append(f"  {e.type:<12} {e.label}{aliases}{link}")

    def block(title: str, items: list[tuple[str, str, float, list[Evidence]]]) -> None:
        lines.append("")
        lines.append(f"{title}:")
        if not items:
            lines.append("  (none)")
        for what, rule, conf, evidence in items:
            lines.append(f"  {what}")
            lines.append(f"      rule {rule}, confidence {conf:.2f}")
            for span in (e.trimmed() for e in evidence[:2]):
                lines.append(f"      [{span.start}:{span.end}] {_sentence(text, span)}")

    block(
        "represents",
        [
            (
                f"{label[r.holder]} -> {label[r.party]} ({r.title})",
                r.provenance.rule,
                r.provenance.confidence,
                r.evidence,
            )
            for r in ann.roles
        ],
    )
    events = {e.id: e for e in ann.events}
    block(
        "events",
        [
            (
                f"{e.kind} {e.date or _undated(e.kind)}: "
                + (", ".join(label[p] for p in e.participants) or e.label or "")
                + (f" in {label[e.place]}" if e.place else "")
                + (f" [{label[e.agreement]}]" if e.agreement else ""),
                e.provenance.rule,
                e.provenance.confidence,
                e.evidence,
            )
            for e in ann.events
        ],
    )
    block(
        "anniversaries",
        [
            (
                f"{events[a.event].date} marks #{a.number} of {events[a.of].date}",
                a.provenance.rule,
                a.provenance.confidence,
                a.evidence,
            )
            for a in ann.anniversaries
        ],
    )
    block(
        "quotations",
        [
            (
                f"{label[q.speaker]}: \u201c{q.text[:90]}\u201d",
                q.provenance.rule,
                q.provenance.confidence,
                q.evidence,
            )
            for q in ann.quotations
        ],
    )
    lines.append("")
    lines.append("dropped (seen in the text, not kept):")
    if not ann.dropped:
        lines.append("  (none)")
    for d in ann.dropped:
        lines.append(f"  {d.kind}: {d.reason}" + (f" ({d.detail})" if d.detail else ""))
        for span in (e.trimmed() for e in d.evidence[:1]):
            lines.append(f"      [{span.start}:{span.end}] {_sentence(text, span)}")
    return "\n".join(lines)
