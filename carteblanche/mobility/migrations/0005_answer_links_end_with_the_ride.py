import datetime

from django.db import migrations
from django.utils import timezone


def end_links_with_their_ride(apps, schema_editor):
    """Drivers' links already sent end with their ride: at once for a ride cancelled or done, otherwise when the
    driver is free again (the appointment for a one-way ride, an hour after it ends otherwise)."""
    PersonalLink = apps.get_model("core", "PersonalLink")
    Proposal = apps.get_model("mobility", "Proposal")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="mobility", model="proposal").first()
    if content_type is None:
        return
    now = timezone.now()
    open_links = PersonalLink.objects.filter(
        purpose="reponse-chauffeur", content_type=content_type, used_at__isnull=True, revoked_at__isnull=True
    )
    rides = {
        p.pk: p.ride for p in Proposal.objects.select_related("ride").filter(pk__in=open_links.values("object_id"))
    }
    for link in open_links.iterator():
        ride = rides.get(link.object_id)
        if ride is None or ride.status in ("annulee", "effectuee"):
            link.revoked_at = now
        else:
            busy = 0 if ride.return_kind == "aller" else ride.duration_minutes + 60
            link.expires_at = ride.appointment_at + datetime.timedelta(minutes=busy)
        link.save(update_fields=["revoked_at", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_personal_link"),
        ("mobility", "0004_answer_links_in_core"),
    ]

    operations = [migrations.RunPython(end_links_with_their_ride, migrations.RunPython.noop)]
