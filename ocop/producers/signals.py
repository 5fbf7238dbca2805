"""What the producers app announces to the apps above it (which subscribe in their AppConfig.ready()).

A lower layer cannot call the layers that keep copies of its data; it announces the change instead. The
receivers run synchronously, inside the sender's transaction.
"""

from django.dispatch import Signal

# Sent with `producer_id` after a producer's name, place or kind changed: the catalog refreshes the copies its
# products keep (search document, place, kind).
producer_changed = Signal()
