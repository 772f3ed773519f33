"""The policy's roles as Wagtail groups (docs/access-matrix.md); see csce/accounts/roles.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from csce.accounts.roles import roles_apply


def _permissions_create(apps):
    # Model permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    _permissions_create(apps)
    roles_apply(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("audit", "0001_initial"),
        ("pages", "0002_locales"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
