"""The blocks a campaign is composed of (policy P3): text, image, button, news teaser.

Each renders to e-mail HTML (tables and inline-safe markup, no script, no remote font,
no tracking pixel) through ``csce/newsletter/rendering.py`` and to plain text for the
text part. Links are written as the editor chose them: never rewritten to count clicks.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# Headings, emphasis, lists and links: what reads well in every mail client.
TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class CampaignImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=200,
        help_text=_("What the image shows, for people who cannot see it (WCAG 1.1.1)."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=200, required=False)

    class Meta:
        icon = "image"
        label = _("Image")


class CampaignButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Button text"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page of the site"), required=False)
    url = blocks.URLBlock(
        label=_("Or an address"),
        required=False,
        help_text=_("Used when no page of the site is chosen."),
    )

    class Meta:
        icon = "link"
        label = _("Button")

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or give an address."))}
            )
        return value


class NewsTeaserBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("News article"), page_type="pages.NewsPage")
    text = blocks.TextBlock(
        label=_("Summary"),
        required=False,
        max_length=400,
        help_text=_("A sentence or two; the article's description when left empty."),
    )

    class Meta:
        icon = "doc-full"
        label = _("News teaser")


class CampaignBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)
    image = CampaignImageBlock()
    button = CampaignButtonBlock()
    news = NewsTeaserBlock()
