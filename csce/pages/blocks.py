"""StreamField blocks editors compose public pages with.

Every block renders accessible, script-free HTML: headings keep the outline, callouts
are labelled regions, questions use <details>, images require alternative text.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (level 2)")), ("h3", _("Subsection (level 3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "pages/blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("info", _("Information")), ("important", _("Important"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "pages/blocks/callout.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "pages/blocks/question.html"


class ButtonBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page"))
    label = blocks.CharBlock(label=_("Button text"), max_length=60)

    class Meta:
        icon = "link"
        label = _("Button link")
        template = "pages/blocks/button.html"


class NewsletterSignupBlock(blocks.StructBlock):
    """The newsletter's subscription form inside a page. Rendered by its template through
    the newsletter's template library: the pages app never imports the newsletter."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120, required=False)

    class Meta:
        icon = "mail"
        label = _("Newsletter subscription form")
        template = "pages/blocks/newsletter_signup.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    callout = CalloutBlock()
    question = QuestionBlock()
    image = ImageBlock(label=_("Image"))
    button = ButtonBlock()
    newsletter_signup = NewsletterSignupBlock()

    class Meta:
        label = _("Content")
