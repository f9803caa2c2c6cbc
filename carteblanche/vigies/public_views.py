"""The vigies' public pages, without an account: a vigie's page from her personal link (she signals, and reads
whether her signals were taken care of, nothing more), and a resident's form for her territory (limited per browser
and per address, flagged as from a resident). Both say first that an emergency is not a signal: call 15, 17, 18
or 112."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from carteblanche.core import french
from carteblanche.core.throttle import Throttle
from carteblanche.territories.models import Territory

from . import services
from .forms import ResidentSignalForm, SignalForm
from .models import Network

# A resident signals a few times an hour from one browser; a village behind one mobile network address, more.
RESIDENT_THROTTLE = Throttle("vigies-habitant", {"browser": 3, "address": 20}, window=60 * 60)
SIGNALS_SHOWN = 20  # the vigie's latest signals on her page


def _sent(network: Network) -> str:
    return f"Merci, votre signalement est envoyé à {network.organisation.name}."


@login_not_required
@never_cache
def vigie(request, token):
    """Her page: the form, then her latest signals with their date, commune and state (« reçu », « pris en
    charge », « clos »): never the place, the words, what was done."""
    vigie = services.vigie_for(token)
    if vigie is None:
        return render(request, "vigies/link_over.html", {"title": "Lien de vigie expiré"}, status=404)
    network = vigie.network
    form = SignalForm(request.POST or None, territory=network.territory)
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_send(network=network, vigie=vigie, **form.signal_fields())
        except services.VigieError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{_sent(network)} Vous verrez ci-dessous quand il sera pris en charge.")
            return redirect("vigies:vigie", token=token)
    signals = vigie.signals.select_related("commune").order_by("-created_at", "-pk")[:SIGNALS_SHOWN]
    return render(
        request,
        "vigies/signal.html",
        {
            "title": "Signaler une personne fragile",
            "vigie": vigie,
            "network": network,
            "form": form,
            "signals": [
                {"on": signal.created_at, "commune": signal.commune.name, "state": services.vigie_status(signal)}
                for signal in signals
            ],
        },
    )


@login_not_required
@never_cache
def resident_signal(request, slug):
    """A resident without an account signals to her territory's network (she chooses the structure where there
    are several); her signal is flagged as from a resident."""
    territory = get_object_or_404(Territory, slug=slug)
    networks = list(Network.objects.filter(territory=territory).select_related("organisation").order_by("name"))
    if not networks:
        raise Http404("Aucun réseau de vigies sur ce territoire.")
    form = ResidentSignalForm(request.POST or None, territory=territory, networks=networks)
    if request.method == "GET":
        request.session["vigies"] = True  # gives the browser its session cookie: its signals are counted
    elif form.is_spam:
        messages.success(request, "Merci, votre signalement est envoyé.")  # robots are thanked, and ignored
        return redirect("vigies:resident_signal", slug=slug)
    elif wait := RESIDENT_THROTTLE.wait(request):
        form.is_valid()
        form.add_error(
            None,
            f"Vous avez déjà envoyé plusieurs signalements : réessayez dans {french.waiting(wait)}. "
            "En cas d'urgence, appelez le 15, le 17, le 18 ou le 112.",
        )
    elif form.is_valid():
        network = form.chosen_network()
        try:
            services.signal_send(network=network, vigie=None, **form.signal_fields())
        except services.VigieError as error:
            form.add_error(None, str(error))
        else:
            RESIDENT_THROTTLE.hit(request)
            messages.success(request, f"{_sent(network)} Ses agents le liront dans les prochains jours.")
            return redirect("vigies:resident_signal", slug=slug)
    return render(
        request,
        "vigies/signal.html",
        {
            "title": "Signaler une personne qui semble en difficulté",
            "territory": territory,
            "network": networks[0] if len(networks) == 1 else None,
            "form": form,
        },
    )
