"""The vigies' pages: public ones (a vigie from her personal link, a resident without an account) and the
structure's and partners' queues, the territory's figures."""

from .figures_urls import urlpatterns as figures
from .public_urls import urlpatterns as public
from .queue_urls import urlpatterns as queue
from .register_urls import urlpatterns as register

app_name = "vigies"

urlpatterns = public + queue + register + figures
