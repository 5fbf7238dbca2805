"""What the catalog announces to the apps above it (which subscribe in their AppConfig.ready()).

A lower layer cannot call the layers that keep copies of its data; it announces the change instead. The
receivers run synchronously, inside the sender's transaction.
"""

from django.dispatch import Signal

# Sent with `product_ids` after products' place, category or producer changed: certification rebuilds their
# certification timelines, which carry those values for the statistics.
products_reclassified = Signal()
