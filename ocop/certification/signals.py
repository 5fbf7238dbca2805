"""What certification announces to the apps above it (which subscribe in their AppConfig.ready()).

The receivers run synchronously, inside the sender's transaction.
"""

from django.dispatch import Signal

# Sent with `product_ids` after the projection replaced these products' spans: market recomputes the days
# their sales channels count (a channel counts while the product is certified).
spans_replaced = Signal()

# Sent after `rollup.rollup_rebuild` emptied and recomputed the rollup: market adds its channels' counts again.
rollup_rebuilt = Signal()
