"""The public side of user conduct (policy U, R): report a concern from any page, and
comment on a news article whose editor opened comments.

No cookie for visitors (decision 0010): a form's POST must come from our own origin and
carry the signed fill-time token, under the same defences as every public form
(csce/common/spam.py: honeypot, fill time, rate limit, proof-of-work challenge). Answers
to one visitor are never cached (``no_store``). A database that cannot write answers 503
with what was typed kept; a blocked sender is told plainly, and nothing is kept.
"""

from __future__ import annotations

from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from csce.common import policy
from csce.common.faults import database_unavailable_notice
from csce.common.http import no_store
from csce.common.spam import guard_token_refresh, public_form_refusal
from csce.pages.cache import page_restricted
from csce.pages.models import NewsPage

from .blocks import network_key
from .forms import ID_MAX, CommentForm, ReportForm, site_path
from .models import Comment, CommentState, Subject
from .rules import acceptable_use_url
from .services import ModerationError, SenderBlocked, comment_submit, report_submit

# What the report form's fill-time token is made for: no page has a negative id. The
# comment form's is the article's own id.
REPORT_TOKEN_SCOPE = -1
REPORT_TEMPLATE = "moderation/public/report.html"
COMMENT_TEMPLATE = "moderation/public/comment.html"
CLOSED_TEMPLATE = "moderation/public/comments_closed.html"
# The article's address after a comment was sent: the notice shows for this flag only,
# and the page cache never keeps a page asked for with a query string.
SENT_FLAGS = {"fr": ("commentaire", "envoye"), "en": ("comment", "sent")}

public_methods = require_http_methods(["GET", "HEAD", "POST"])


def language_current() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in SENT_FLAGS else "fr"


def comment_sent_flag(request: HttpRequest) -> bool:
    """Whether the article was asked for right after its reader sent a comment."""
    return any(request.GET.get(key) == value for key, value in SENT_FLAGS.values())


def _blocked_notice() -> str:
    # Policy P5: says no more than needed (not which key, not until when).
    return _(
        "We cannot accept messages from your connection or address at the moment. If you "
        "need to reach the centre, please use the contact details at the bottom of this page."
    )


# --- report a concern ---


def _report_render(
    request, form, *, status: int = 200, notice: str = "", sent=False, about=None, contact=False
):
    if not sent:
        guard_token_refresh(form, token_scope=REPORT_TOKEN_SCOPE)
    context = {
        "form": form,
        "form_notice": notice,
        "sent": sent,
        "contact_given": contact,
        "about_comment": about,
        "due_days": policy.MODERATION_RESPONSE_BUSINESS_DAYS,
        "rules_url": acceptable_use_url(request),
        "report_page": True,
    }
    # A one-time form token, and after a POST an answer to one visitor: never cached.
    return no_store(TemplateResponse(request, REPORT_TEMPLATE, context, status=status))


def _approved_comment(value) -> Comment | None:
    try:
        pk = int(str(value or "").strip())
    except ValueError:
        return None
    if not 1 <= pk <= ID_MAX:
        return None
    return Comment.objects.filter(pk=pk, state=CommentState.APPROVED).first()


def _report_initial(request: HttpRequest) -> tuple[dict, Comment | None]:
    """What the link that led here says: the page it was on, and the comment it reports
    (only an approved one: the others are shown to no one)."""
    initial: dict = {}
    path = site_path(request.GET.get("page", ""), host=request.get_host())
    if path:
        initial.update(subject=Subject.PAGE, url=path)
    comment = _approved_comment(request.GET.get("comment")) if "comment" in request.GET else None
    if comment is not None:
        initial.update(subject=Subject.COMMENT, comment=comment.pk)
    return initial, comment


@csrf_exempt  # decision 0010: public_form_refusal checks the origin instead
@public_methods
def report(request: HttpRequest) -> HttpResponse:
    """GET: the form, filled in with the page (and comment) the visitor came from.
    POST: the report enters the moderators' queue."""
    host = request.get_host()
    if request.method != "POST":
        initial, about = _report_initial(request)
        return _report_render(request, ReportForm(initial=initial, host=host), about=about)
    form = ReportForm(request.POST, host=host)
    try:
        # One savepoint: a database that refuses a write leaves nothing half-stored.
        with transaction.atomic():
            return _report_receive(request, form)
    except DatabaseError:
        # Policy M: read-only, full or unreachable database; what was typed is kept.
        return _report_render(request, form, status=503, notice=database_unavailable_notice())


def _report_receive(request: HttpRequest, form: ReportForm) -> HttpResponse:
    refusal = public_form_refusal(request, form=form, token_scope=REPORT_TOKEN_SCOPE)
    if refusal is not None and refusal.silent:
        # A robot filled the hidden field: the same answer as everyone, nothing kept.
        return _report_render(request, form, sent=True)
    if refusal is not None:
        return _report_render(request, form, status=refusal.status, notice=refusal.notice)
    data = form.cleaned_data
    subject = data["subject"]
    try:
        with transaction.atomic():
            report_submit(
                subject=subject,
                category=data["category"],
                description=data["description"],
                language=language_current(),
                url=data["url"],
                comment_id=data.get("comment") if subject == Subject.COMMENT else None,
                contact=data.get("contact", ""),
                network=network_key(request),
            )
    except SenderBlocked:
        return _report_render(request, form, status=403, notice=_blocked_notice())
    except ModerationError:
        # The comment was removed since the link was followed, and no address is left.
        form.add_error(
            "url",
            _("This comment is no longer shown. Enter the address of the page it was on."),
        )
        return _report_render(request, form, status=400)
    return _report_render(request, form, sent=True, contact=bool(data.get("contact")))


# --- comments on news articles ---


def _article(page_id: int) -> NewsPage | None:
    """A live, public news article that takes comments, or None."""
    if page_id > ID_MAX:  # no such page, and too large for the database's integers
        return None
    article = NewsPage.objects.live().filter(pk=page_id).first()
    if article is None or not article.comments_enabled or page_restricted(article):
        return None
    return article


def _comment_render(request, form, *, article, status: int = 200, notice: str = ""):
    guard_token_refresh(form, token_scope=article.pk)
    context = {
        "form": form,
        "form_notice": notice,
        "article": article,
        "article_url": article.get_url(request=request),
        "rules_url": acceptable_use_url(request),
        "due_days": policy.MODERATION_RESPONSE_BUSINESS_DAYS,
    }
    return no_store(TemplateResponse(request, COMMENT_TEMPLATE, context, status=status))


def _redirect(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # See Other: the article is read with a GET
    return no_store(response)


@csrf_exempt  # decision 0010: public_form_refusal checks the origin instead
@public_methods
def comment(request: HttpRequest, page_id: int) -> HttpResponse:
    """POST: a comment on the article, waiting for moderation (policy U). A GET goes back
    to the article's comments."""
    article = _article(page_id)
    if article is None:
        response = TemplateResponse(request, CLOSED_TEMPLATE, {}, status=404)
        return no_store(response)
    if request.method != "POST":
        return _redirect(f"{article.get_url(request=request)}#comments")
    form = CommentForm(request.POST)
    try:
        with transaction.atomic():
            return _comment_receive(request, form, article=article)
    except DatabaseError:
        return _comment_render(
            request, form, article=article, status=503, notice=database_unavailable_notice()
        )


def _sent(request, article) -> HttpResponse:
    key, value = SENT_FLAGS[language_current()]
    return _redirect(f"{article.get_url(request=request)}?{key}={value}#comments")


def _comment_receive(request: HttpRequest, form: CommentForm, *, article) -> HttpResponse:
    refusal = public_form_refusal(request, form=form, token_scope=article.pk)
    if refusal is not None and refusal.silent:
        return _sent(request, article)
    if refusal is not None:
        return _comment_render(
            request, form, article=article, status=refusal.status, notice=refusal.notice
        )
    data = form.cleaned_data
    try:
        with transaction.atomic():
            comment_submit(
                page=article,
                language=language_current(),
                name=data["name"],
                text=data["text"],
                email=data.get("email", ""),
                network=network_key(request),
            )
    except SenderBlocked:
        return _comment_render(request, form, article=article, status=403, notice=_blocked_notice())
    return _sent(request, article)
