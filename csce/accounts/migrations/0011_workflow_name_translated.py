"""The approval workflow and its task take their stable identifier, shown in each reader's
language (csce/accounts/workflow_names.py), in place of Wagtail's sample name."""

from django.db import migrations

from csce.accounts.roles import WORKFLOW_FORMER_NAME, WORKFLOW_NAME, workflow_rename


def rename(apps, schema_editor):
    workflow_rename(apps=apps)


def rename_back(apps, schema_editor):
    for model_name in ("Workflow", "Task"):
        model = apps.get_model("wagtailcore", model_name)
        model.objects.filter(name=WORKFLOW_NAME).update(name=WORKFLOW_FORMER_NAME)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_staff_invitation")]

    operations = [migrations.RunPython(rename, rename_back)]
