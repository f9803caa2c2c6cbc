"""The demo's people, as the tests find them (the demo is loaded once per test database)."""

from carteblanche.accounts.models import User


def demo_user(name: str) -> User:
    """``demo_user("equipe")`` is the account equipe@demo.carteblanche.fr of the demo."""
    return User.objects.get(email=f"{name}@demo.carteblanche.fr")


def demo_territory():
    """The demo's living area, Cahors's."""
    from carteblanche.territories.models import Territory

    return Territory.objects.get(slug="bassin-de-vie-de-cahors")
