"""The inboxes: who reads what (selectors), what staff do (services), exports and the
admin screens (policy F: need to know)."""
