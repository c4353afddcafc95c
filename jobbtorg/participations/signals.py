"""Events of a participation that apps above it react to, inside the same transaction.

Participations sits below activities (activities import participations), so
the closure service can not call activities directly; it sends this signal and
the activities app ends its open activities in its receiver.
"""

from django.dispatch import Signal

# Sent inside the closure transaction with: user, participation, closed_on.
participation_closed = Signal()
