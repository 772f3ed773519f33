"""Public page types of the centre's website and the centre's own settings.

Policy P2 and C: bilingual, accurate, consistent content. Every page type exists in
French (default) and English as linked translations; templates live at
``templates/pages/<model_snake>.html``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from csce.common.models import BaseModel
from csce.common.notice_rules import privacy_notice_body_problems, privacy_notice_publish_refusal

from .blocks import RICH_TEXT_FEATURES, BodyBlock
from .cache import live_public, restricted_paths, site_generation_bump
from .panels import OVERRIDE_PERMISSION, OverrideReasonPanel
from .validators import validate_accessible_colour
from .widgets import SocialPostWidget


class RoutingMixin:
    """Resolve the rest of a URL in one query instead of two per path segment.

    Wagtail's default ``route`` walks the tree one child at a time; our page types
    have no sub-routes, so the remaining path maps straight to a descendant's
    ``url_path``. Keeps every public page inside its query budget.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        # slug is indexed and narrows the lookup; url_path makes it exact.
        page = (
            Page.objects.filter(
                slug=path_components[-1],
                url_path=self.url_path + "/".join(path_components) + "/",
                live=True,
            )
            .specific()
            .first()
        )
        if page is None:
            raise Http404
        return RouteResult(page)


class BasePage(RoutingMixin, Page):
    """Fields and behaviour every public page shares.

    Wagtail's own ``search_description`` is the page summary: it is shown in listings,
    in search results and as the meta description, so editors write it once.
    """

    # Policy C: the content owner is Wagtail's own ``owner`` (the creator unless the AED
    # gives the page to someone else); only the AED reassigns it. The AED's override
    # reason is asked here when the AED publishes a page another staff member owns
    # (policy X, csce/pages/review.py).
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("owner", heading=_("Content owner"), permission=OVERRIDE_PERMISSION),
        OverrideReasonPanel(),
    ]

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        # Most sites restrict no page at all: then skip Wagtail's two queries per request.
        if not restricted_paths():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @property
    def page_type(self) -> str:
        """The model's name, used as a CSS hook on <body>."""
        return self._meta.model_name


class HomePage(BasePage):
    hero_title = models.CharField(_("welcome title"), max_length=120)
    hero_text = models.TextField(_("welcome text"), max_length=400)
    hero_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("main button target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_label = models.CharField(_("main button text"), max_length=60, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldRowPanel([FieldPanel("hero_link"), FieldPanel("hero_link_label")]),
            ],
            heading=_("Welcome"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = live_public(ServicePage.objects.descendant_of(self)).order_by("path")[
            :6
        ]
        context["news"] = live_public(NewsPage.objects.descendant_of(self)).order_by(
            "-date", "-pk"
        )[:3]
        return context


class StandardPage(BasePage):
    """About, accessibility statement, acceptable use and other editorial pages."""

    body = StreamField(BodyBlock(), verbose_name=_("content"))
    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class PrivacyNoticePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # Publishing, or sending for the approval that publishes: a draft may wait for the
        # Privacy Officer's address (policy P10), an approval would fail on it.
        if self.data.get("action-publish") or self.data.get("action-submit"):
            refusal = privacy_notice_publish_refusal()
            if refusal:
                self.add_error(None, refusal)
        return cleaned_data


class PrivacyNoticePage(BasePage):
    """The public statement of information practices (policy P3, PHIPA s.16).

    The editorial text is the centre's; the privacy app adds the sections generated from
    the live system (what each form collects, processors, cookies...) and records a
    version at each publication with its summary of changes (policy V).
    """

    last_updated = models.DateField(_("last updated"), default=timezone.localdate)
    body = StreamField(BodyBlock(), verbose_name=_("content"))
    change_summary = models.TextField(
        _("summary of changes"),
        max_length=1000,
        blank=True,
        help_text=_("What this publication changes; shown in the list of past versions."),
    )
    # Policy V: the notice is reviewed periodically; the compliance views show the date.
    next_review = models.DateField(_("next review"), null=True, blank=True)
    content_panels = [
        *Page.content_panels,
        FieldPanel("last_updated"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("change_summary"), FieldPanel("next_review")],
            heading=_("This version"),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    base_form_class = PrivacyNoticePageForm

    parent_page_types = ["pages.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("privacy notice")

    def clean(self):
        """The editors' text cannot contradict the generated sections (notice_rules.py)."""
        super().clean()
        problems = privacy_notice_body_problems(raw_blocks=self.body.get_prep_value())
        if problems:
            raise ValidationError(problems)

    def publish(self, revision, *args, **kwargs):
        # Every path that publishes (admin, scheduled, code) goes through here.
        refusal = privacy_notice_publish_refusal()
        if refusal:
            raise ValidationError(refusal)
        return super().publish(revision, *args, **kwargs)


class ServiceIndexPage(BasePage):
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ServicePage", "submissions.ProgramPage"]

    class Meta:
        verbose_name = _("services index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = live_public(ServicePage.objects.child_of(self)).order_by("path")
        # Programs and workshops published here are listed too, so a visitor reaches
        # every registration form from the menu (policy C: content made to be found).
        context["programs"] = live_public(self.get_children().not_type(ServicePage)).order_by(
            "path"
        )
        return context


class ServicePage(BasePage):
    ICONS = [
        ("stethoscope", _("Primary care")),
        ("heart", _("Health promotion")),
        ("speech", _("Counselling")),
        ("people", _("Community")),
        ("info", _("Information")),
    ]
    icon = models.CharField(_("icon"), max_length=20, choices=ICONS, default="info")
    who_for = RichTextField(_("who it is for"), features=RICH_TEXT_FEATURES, blank=True)
    how_to_access = RichTextField(_("how to access it"), features=RICH_TEXT_FEATURES, blank=True)
    cost = models.CharField(
        _("cost"),
        max_length=120,
        blank=True,
        help_text=_("For example: free, no health card needed."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("content"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("icon"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("who_for"), FieldPanel("how_to_access"), FieldPanel("cost")],
            heading=_("Practical information"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.SearchField("who_for"),
        index.SearchField("how_to_access"),
    ]

    parent_page_types = ["pages.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("service page")


class NewsIndexPage(BasePage):
    PER_PAGE = 10

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NewsPage"]

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = live_public(NewsPage.objects.child_of(self)).order_by("-date", "-pk")
        paginator = Paginator(articles, self.PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context["articles"] = page_obj
        return context


# A draft post is short; this bounds what the editor's counts read on each keystroke.
SOCIAL_POST_MAX_LENGTH = 5000


class NewsPage(BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    body = StreamField(BodyBlock(), verbose_name=_("content"))
    # Policy U: visitors' comments, pre-moderated, only where an editor opens them.
    comments_enabled = models.BooleanField(
        _("comments open"),
        default=False,
        help_text=_(
            "Visitors may comment on this article. Nothing they write appears before a "
            "moderator approves it."
        ),
    )
    # Policy C and P2: the post that announces the article on the centre's networks,
    # translated with the page; the editor counts it against each network's limit.
    social_post = models.TextField(
        _("social media post"),
        max_length=SOCIAL_POST_MAX_LENGTH,
        blank=True,
        help_text=_(
            "A draft of the post that announces this article, in this page's language. "
            "Paste the article's address in it: X and Mastodon count any link as 23 "
            "characters."
        ),
    )
    # Open Graph type of this page's shares (csce/pages/sharing.py).
    share_type = "article"

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("body"),
        FieldPanel("comments_enabled"),
        FieldPanel("social_post", widget=SocialPostWidget, heading=_("Social media post")),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body"), index.FilterField("date")]

    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")


class ContactPage(BasePage):
    """How to reach the centre. Address, phone and hours come from the centre's settings."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["pages.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The forms published under this page (write to us, surveys...) are listed on it,
        # so that a visitor who looks for how to reach the centre finds them.
        context["forms"] = live_public(self.get_children()).order_by("path")
        return context


@register_setting(icon="home")
class CentreSettings(ClusterableModel, BaseSiteSetting):
    """The organisation's identity and contacts: settings and content, never code."""

    name = models.CharField(
        _("name"), max_length=150, default="Centre de santé communautaire de l'Estrie"
    )
    name_en = models.CharField(
        _("name in English"),
        max_length=150,
        blank=True,
        help_text=_("Leave blank when the centre uses its French name in English too."),
    )
    short_name = models.CharField(_("short name"), max_length=20, default="CSCE")
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=2, default="ON")
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    toll_free = models.CharField(_("toll-free telephone"), max_length=30, blank=True)
    email = models.EmailField(_("general e-mail address"), blank=True)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#00607a",
        validators=[validate_accessible_colour],
        help_text=_("Hexadecimal colour, for example #00607a. Must keep text readable (WCAG AA)."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#8c3b00",
        validators=[validate_accessible_colour],
        help_text=_("Hexadecimal colour used for highlights. Must keep text readable (WCAG AA)."),
    )
    # Policy C and P2: what a share of a page without its own summary or image shows.
    description = models.TextField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_(
            "One or two sentences about the centre, shown when a page without its own "
            "summary is shared."
        ),
    )
    description_en = models.TextField(
        _("description in English"),
        max_length=300,
        blank=True,
        help_text=_("The same description for pages in English."),
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when a page without an image of its own is shared. Best at 1200 × 630 "
            "pixels or larger."
        ),
    )
    share_image_alt = models.CharField(
        _("share image description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    share_image_alt_en = models.CharField(
        _("share image description in English"), max_length=200, blank=True
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("short_name")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel(
                    [FieldPanel("city"), FieldPanel("province"), FieldPanel("postal_code")]
                ),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("toll_free")]),
                FieldPanel("email"),
            ],
            heading=_("Contact"),
        ),
        InlinePanel("opening_hours", heading=_("Opening hours"), label=_("Opening hours")),
        InlinePanel("footer_links", heading=_("Footer links"), label=_("Footer link")),
        MultiFieldPanel(
            [FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading=_("Colours")
        ),
        MultiFieldPanel(
            [
                FieldPanel("description"),
                FieldPanel("description_en"),
                FieldPanel("share_image"),
                FieldPanel("share_image_alt"),
                FieldPanel("share_image_alt_en"),
            ],
            heading=_("Sharing on social media"),
        ),
    ]

    class Meta:
        verbose_name = _("centre settings")

    def clean(self) -> None:
        super().clean()
        # Policy P2 and accessibility: a share image says what it shows, in both languages.
        if self.share_image_id:
            errors = {}
            for name in ("share_image_alt", "share_image_alt_en"):
                setattr(self, name, (getattr(self, name) or "").strip())
                if not getattr(self, name):
                    errors[name] = _("Describe the share image, in each language.")
            if errors:
                raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every page shows the contacts, hours and footer links (saved with the settings,
        # inside this save): a new cache generation, so no stale footer stays (policy M).
        site_generation_bump()

    def localized_name(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def has_address(self) -> bool:
        return bool(self.street_address or self.city)


class OpeningHours(Orderable):
    WEEKDAYS = [
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    ]
    settings = ParentalKey(CentreSettings, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be after the opening time.")})


class FooterLink(Orderable):
    """A page linked from every footer (privacy notice, accessibility, acceptable use...).

    Editors pick the page once; each visitor gets its translation in their language.
    """

    settings = ParentalKey(CentreSettings, on_delete=models.CASCADE, related_name="footer_links")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")


# Every public page type, in the order the site presents them.
PAGE_TYPES = (
    HomePage,
    StandardPage,
    PrivacyNoticePage,
    ServiceIndexPage,
    ServicePage,
    NewsIndexPage,
    NewsPage,
    ContactPage,
)


class SiteAlert(models.Model):
    """A dated notice shown at the top of every public page (closure, storm, holiday hours).

    Policy P2: written in French and in English, both required, and each visitor reads the
    one of the page's language. Policy C: only the roles that may publish (the AED and
    Communications, ``roles.py``) write alerts, since an alert is public once saved. The
    dates decide when it shows: no deploy and no second save are needed for it to appear
    at ``starts_at`` and go at ``ends_at`` (``csce.pages.alerts``).
    """

    class Kind(models.TextChoices):
        # Ordered from the most to the least pressing: the banner shows them in this order.
        URGENT = "urgent", _("Urgent")
        CLOSURE = "closure", _("Closure")
        INFORMATION = "information", _("Information")

    TEXT_MAX_LENGTH = 300

    kind = models.CharField(
        _("kind of alert"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.INFORMATION,
        help_text=_("Sets the banner's colour and the word shown before the text."),
    )
    text_fr = models.TextField(
        _("text in French"),
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text=_("One or two plain sentences, for example: The centre is closed today."),
    )
    text_en = models.TextField(
        _("text in English"),
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text=_("The same notice for visitors who read the site in English."),
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("shown until"), help_text=_("The alert disappears by itself at this time.")
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page with more information"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Visitors get this page in their own language when it exists."),
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text_fr"),
        FieldPanel("text_en"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("link_page"),
    ]

    class Meta:
        verbose_name = _("site alert")
        verbose_name_plural = _("site alerts")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return Truncator(self.text_fr).chars(60)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every page shows the alerts: a new cache generation, so no page cached before
        # this save keeps an old banner (policy M). Deletions: csce/pages/signals.py.
        site_generation_bump()

    def clean(self) -> None:
        super().clean()
        errors = {}
        # Policy P2: both languages, each with words in it, never one standing for both.
        for name in ("text_fr", "text_en"):
            setattr(self, name, (getattr(self, name) or "").strip())
            if not getattr(self, name):
                errors[name] = self._meta.get_field(name).error_messages["blank"]
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must come after the start of the alert.")
        if errors:
            raise ValidationError(errors)

    def status(self, *, now=None) -> str:
        """Live now, scheduled or expired, as staff read it in the list."""
        now = now or timezone.now()
        if self.ends_at <= now:
            return "expired"
        if self.starts_at > now:
            return "scheduled"
        return "live"

    def status_label(self) -> str:
        return str(ALERT_STATUS_LABELS[self.status()])

    status_label.short_description = _("status")


ALERT_STATUS_LABELS = {
    "live": _("Live now"),
    "scheduled": _("Scheduled"),
    "expired": _("Expired"),
}


class PageReview(BaseModel):
    """When a page's content was last checked for accuracy, and by whom (policy C).

    One row per page that was ever marked as reviewed, whatever its type (pages of every
    app are Wagtail pages); a page without one counts from its first publication. The
    model also carries the AED's override permission (policy X)."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="csce_review",
    )
    reviewed_at = models.DateTimeField(_("last reviewed"), db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("page review")
        verbose_name_plural = _("page reviews")
        default_permissions = ()
        permissions = [
            (
                "override_page",
                _("Can unpublish any page, or publish a page another owns, with a reason"),
            )
        ]

    def __str__(self) -> str:
        return str(self.page_id)
