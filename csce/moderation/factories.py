"""Comments and reports of a concern for tests and the demo, written through the
services as the public forms write them."""

from __future__ import annotations

from csce.common.crypto import blind_index

from .models import Category, Comment, ConcernReport, Subject
from .services import comment_submit, report_submit

NETWORK = blind_index("203.0.113.0/24", kind="network")


def comment_create(
    *,
    page,
    name: str = "Élise Tremblay",
    text: str = "Merci pour cet article, l'atelier m'a beaucoup aidée.",
    language: str = "fr",
    email: str = "",
    network: str = NETWORK,
    **fields,
) -> Comment:
    """A comment waiting for moderation; ``fields`` (state, moderated_at...) then set."""
    comment = comment_submit(
        page=page, language=language, name=name, text=text, email=email, network=network
    )
    if fields:
        Comment.objects.filter(pk=comment.pk).update(**fields)
        comment.refresh_from_db()
    return comment


def report_create(
    *,
    subject: str = Subject.PAGE,
    category: str = Category.HARASSMENT,
    description: str = "Un commentaire vise une personne nommément.",
    url: str = "/fr/nouvelles/",
    language: str = "fr",
    contact: str = "",
    comment: Comment | None = None,
    network: str = NETWORK,
    **fields,
) -> ConcernReport:
    """An open report of a concern; ``fields`` (state, closed_at...) then set."""
    report = report_submit(
        subject=subject,
        category=category,
        description=description,
        language=language,
        url=url,
        comment_id=comment.pk if comment is not None else None,
        contact=contact,
        network=network,
    )
    if fields:
        ConcernReport.objects.filter(pk=report.pk).update(**fields)
        report.refresh_from_db()
    return report
