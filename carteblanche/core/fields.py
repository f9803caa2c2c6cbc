"""Field shapes that recur across the apps, written once."""

from django.db import models


def optional_fk(to, verbose_name=None, *, related_name="+", blank=True, one_to_one=False, **kwargs):
    """A reference that outlives its target: deleting the target (an account, an organisation, an import) keeps
    the row and empties the reference (``SET_NULL``). ``related_name`` is ``"+"`` (no reverse accessor) unless
    named; ``blank=False`` where forms must still fill it in."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    if verbose_name is not None:
        kwargs["verbose_name"] = verbose_name
    return field(to, on_delete=models.SET_NULL, null=True, blank=blank, related_name=related_name, **kwargs)
