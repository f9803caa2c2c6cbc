from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry


@receiver(user_logged_in, dispatch_uid="journal_login")
def journal_login(sender, request, user, **kwargs):
    details = getattr(request, "login_details", None) if request is not None else None  # set by a provider's login
    JournalEntry.log(action=Action.LOGIN, actor=user, target=user, details=details or {"moyen": "mot de passe"})


@receiver(user_logged_out, dispatch_uid="journal_logout")
def journal_logout(sender, request, user, **kwargs):
    if user is not None:
        JournalEntry.log(action=Action.LOGOUT, actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="journal_login_failed")
def journal_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted e-mail is kept (it names an account, not a stranger's data); never the password.
    JournalEntry.log(action=Action.LOGIN_FAILED, details={"identifiant": str(credentials.get("username", ""))[:254]})
