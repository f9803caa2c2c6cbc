from django.db import migrations

from carteblanche.core.site_config import ensure_site_config


def create_site_config(apps, schema_editor):
    ensure_site_config(apps.get_model("dsfr", "DsfrConfig"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("dsfr", "0012_dsfrconfig_notice_description_and_more")]

    operations = [migrations.RunPython(create_site_config, migrations.RunPython.noop)]
