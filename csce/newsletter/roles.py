"""Which roles get which newsletter permissions (policy R, F, P3); csce/accounts/roles.py
assembles them. docs/access-matrix.md is the contract.

No role is given a view or change permission on subscribers, consent records or the
suppression list: the staff side shows counts only (policy F, data minimisation), and
finding one person's subscription is the privacy portal's work (policy P9).
"""

from csce.common.roles import AED, COMMUNICATIONS, CONTENT

COMPOSE = [
    "newsletter.add_campaign",
    "newsletter.change_campaign",
    "newsletter.view_campaign",
]
# Policy P3, R: sending reaches every subscriber at once and cannot be taken back, so it
# is a permission of its own, not part of composing.
SEND = "newsletter.send_campaign"
# The subscribers overview: counts only, no address (policy F); the model's view
# permission names it, nothing else uses it.
OVERVIEW = "newsletter.view_subscriber"
TOPICS_MANAGE = ["newsletter.add_topic", "newsletter.change_topic", "newsletter.view_topic"]

ROLE_PERMISSIONS = {
    # Policy R: Communications runs the newsletter: writes campaigns, sends them, keeps
    # the topics (retired by unticking "offered", never deleted: a subscriber who chose
    # only that topic would then receive everything) and deletes a campaign not sent.
    COMMUNICATIONS: [
        *COMPOSE,
        "newsletter.delete_campaign",
        SEND,
        *TOPICS_MANAGE,
        OVERVIEW,
    ],
    # Policy R, P3: the AED supervises what the centre sends in its name: reads every
    # campaign and its progress, may send (or cancel) one, reads the counts; composing
    # stays with Communications.
    AED: ["newsletter.view_campaign", SEND, "newsletter.view_topic", OVERVIEW],
    # Policy R, C: content creators may prepare drafts (add, change); sending is left to
    # Communications and the AED, as publishing a page is left to the AED.
    CONTENT: COMPOSE,
}
