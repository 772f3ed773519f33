"""Django's display formats for each language (``FORMAT_MODULE_PATH``), matching
``csce.common.typography`` as far as Django's format strings can: what Django, Wagtail's
admin and ``localize`` print without going through that module (it alone can write
« 1er » and leave « h 00 » out)."""
