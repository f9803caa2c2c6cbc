"""What the shell tells the phases of the method, so that it never imports them."""

from django.dispatch import Signal

# Sent inside the transaction that created an operation (keyword ``operation``): each phase's app seeds what a new
# operation starts with there (exploration: the groups of people affected).
operation_created = Signal()
