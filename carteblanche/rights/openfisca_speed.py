"""OpenFisca spends much of a simulation on bookkeeping that gives the same answer each time: period arithmetic
(an instant's offset goes through pendulum every time) and parameters that depend on a variable (a zone, a status:
« fancy indexing »), looked up once per person. Periods and instants are immutable tuples, so their answers are
kept; a vectorial parameter is looked up once per distinct node and spread with numpy.

Nothing else changes: the same formulas, on the same inputs, give the same amounts (the reference suite,
``tests/rights/test_reference.py``, compares them with OpenFisca run without this, to the cent)."""

import functools

_INSTALLED = False
# Period properties that compute something (the others only read a field of the tuple).
_PERIOD_PROPERTIES = (
    "stop",
    "last_3_months",
    "last_month",
    "last_year",
    "this_year",
    "first_month",
    "n_2",
    "size_in_months",
    "size_in_days",
    "days",
)


def _remembered_method(cls, name):
    original = getattr(cls, name)
    answers = {}

    @functools.wraps(original)
    def method(self, *args, **kwargs):
        key = (self, args, tuple(sorted(kwargs.items())))
        try:
            return answers[key]
        except KeyError:
            answer = answers[key] = original(self, *args, **kwargs)
            return answer

    setattr(cls, name, method)


def _remembered_property(cls, name):
    compute = getattr(cls, name).fget
    answers = {}

    def get(self):
        try:
            return answers[self]
        except KeyError:
            answer = answers[self] = compute(self)
            return answer

    setattr(cls, name, property(get, doc=getattr(cls, name).__doc__))


def _vectorial_lookups(vectorial):
    """``VectorialParameterNodeAtInstant`` holds one node per person, most of them the same few objects. Here it
    holds the distinct nodes and, per person, the position of hers (``_inverse``): each lookup is made once per
    distinct node, and the answers are spread with one numpy indexing."""
    import numpy
    from openfisca_core import parameters

    original_getitem = vectorial.__getitem__

    def compact(parent, distinct, inverse):
        if isinstance(distinct[0], parameters.ParameterNodeAtInstant):
            node = vectorial(distinct, parent._name, parent._instant_str)
            node._inverse = inverse
            return node
        return numpy.array(distinct)[inverse]

    def build_from_node_name(node, key):
        vectorial.check_node_vectorisable(node)
        keys = vectorial._get_appropriate_keys(key)
        get_subnode_key = vectorial._get_appropriate_subnode_function(keys[0])
        positions: dict[object, int] = {}
        distinct, inverse = [], []
        for k in keys.tolist() if isinstance(keys, numpy.ndarray) else keys:
            position = positions.get(k)
            if position is None:
                position = positions[k] = len(distinct)
                distinct.append(node[get_subnode_key(node, k)])
            inverse.append(position)
        return compact(node, distinct, numpy.array(inverse, dtype=numpy.intp))

    def getitem(self, key):
        inverse = getattr(self, "_inverse", None)
        if inverse is None:
            return original_getitem(self, key)
        if isinstance(key, str):
            return compact(self, [node[key] for node in self.vector], inverse)
        # A key per person: the nodes one per person again, as OpenFisca has them.
        full = vectorial([self.vector[i] for i in inverse.tolist()], self._name, self._instant_str)
        return original_getitem(full, key)

    vectorial.build_from_node_name = staticmethod(build_from_node_name)
    vectorial.__getitem__ = getitem


def install():
    """Once per process, before the first simulation."""
    global _INSTALLED
    if _INSTALLED:
        return
    from openfisca_core.parameters.vectorial_parameter_node_at_instant import VectorialParameterNodeAtInstant
    from openfisca_core.periods import instant_, period_

    _vectorial_lookups(VectorialParameterNodeAtInstant)

    _remembered_method(instant_.Instant, "offset")
    _remembered_method(period_.Period, "offset")
    for name in _PERIOD_PROPERTIES:
        _remembered_property(period_.Period, name)
    _INSTALLED = True
