"""The privacy app's place in the Wagtail admin."""

from wagtail import hooks

from .viewsets import PrivacyRequestViewSet


@hooks.register("register_admin_viewset")
def register_privacy_request_viewset():
    return PrivacyRequestViewSet()
