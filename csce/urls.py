from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve as static_serve
from health_check.checks import Cache, Storage
from health_check.views import HealthCheckView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from csce.accounts.invitation_views import invitation_accept_view
from csce.common.health import WritableDatabase
from csce.pages import views as page_views
from csce.pages.sitemaps import BilingualSitemap

handler400 = "csce.pages.views.bad_request"
handler404 = "csce.pages.views.page_not_found"
handler500 = "csce.pages.views.server_error"

urlpatterns = [
    path("", page_views.language_redirect, name="language_redirect"),
    # Before the admin: the invited person has no session yet (policy M).
    path(
        "admin/invitation/<str:token>/",
        invitation_accept_view,
        name="accounts_invitation_accept",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("csce.analytics.urls")),
    path("robots.txt", page_views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,  # cached with the pages, by AnonymousPageCacheMiddleware
        {"sitemaps": {"pages": BilingualSitemap}},
        name="sitemap",
    ),
    path("theme.css", page_views.theme_css, name="theme_css"),
    # Database (read and write), cache and storage only: no DNS or mail probe from a load
    # balancer's poll.
    path(
        "health/",
        HealthCheckView.as_view(checks=[WritableDatabase, Cache, Storage]),
        name="health",
    ),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        path(
            "media/images/<path:path>",
            static_serve,
            {"document_root": settings.MEDIA_ROOT / "images"},
            name="media_images",
        )
    )

urlpatterns += i18n_patterns(
    path(_("search/"), page_views.search, name="search"),
    path("", include("csce.privacy.urls")),
    path("", include("csce.newsletter.urls")),
    path("", include("csce.moderation.urls")),
    # The unlock form of password-restricted pages, at Wagtail's URL name; before the
    # page view, whose pattern would otherwise take "_util/..." for a page path.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_views.page_unlock,
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail's page view behind our cached routing; same pattern and name as Wagtail's.
    re_path(r"^((?:[\w\-]+/)*)$", page_views.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
