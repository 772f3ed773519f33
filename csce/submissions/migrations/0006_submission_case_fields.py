# Submission is a case (csce.common.models.CaseModel): its first response's due date
# is the case's due_at. A rename: no data changes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0005_routing_permission"),
    ]

    operations = [
        migrations.RenameField(
            model_name="submission",
            old_name="first_response_due",
            new_name="due_at",
        ),
    ]
