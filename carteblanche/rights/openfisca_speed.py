"""OpenFisca spends much of a simulation on bookkeeping that gives the same answer each time: period arithmetic
(an instant's offset goes through pendulum every time) and parameters that depend on a variable (a zone, a status:
« fancy indexing »), looked up once per person, and, on each of the ten thousand calculations of a household, the
same checks of the variable's name, entity and period. Periods and instants are immutable tuples, so their answers
are kept; a vectorial parameter is looked up once per distinct node and spread with numpy; a check that passed for
a variable and a period is not made again, and a value already computed is found in its holder directly.

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


def _direct_lookups(simulation_cls, population_cls, storage_cls, period_cls, simple_tracer_cls):
    """The paths every calculation takes, without the checks that can only give the answer they gave before.

    - ``Simulation.calculate``: a value already in its holder (two calculations in three: a formula reads what
      another one computed, or an input) is returned once the variable and this period passed OpenFisca's checks
      once, as OpenFisca returns it then, without entering and leaving the tracer's stack (which only detects
      cycles; a full tracer, recording every step, still goes the whole way); anything else (a formula to run, a
      period never checked) goes through OpenFisca's own.
    - a population called with a variable and a period (``individu('salaire_net', period)``, no option): the check
      that the variable belongs to this entity is made once per variable and entity.
    - the in-memory storage of a holder, for a period given as a period (not an eternal variable): the dictionary
      itself, without converting the period into the period it already is."""
    original_calculate = simulation_cls._calculate
    original_public_calculate = simulation_cls.calculate
    original_call = population_cls.__call__
    original_get = storage_cls.get
    original_put = storage_cls.put
    consistent: dict[object, set] = {}  # variable -> periods it was computed for, past OpenFisca's checks
    defined: dict[object, set] = {}  # entity -> names of its own variables

    def known(self, variable, variable_name, period):
        checked = consistent.get(variable)
        if checked is not None and period in checked and self.start_computation_period is None:
            holder = self.populations[variable.entity.key]._holders.get(variable_name)
            if holder is not None:
                return holder.get_array(period)
        return None

    def calculate(self, variable_name, period):
        if self.tracer.__class__ is simple_tracer_cls:
            array = known(self, self.tax_benefit_system.variables.get(variable_name), variable_name, period)
            if array is not None:
                return array
        return original_public_calculate(self, variable_name, period)

    def _calculate(self, variable_name, period):
        variable = self.tax_benefit_system.variables.get(variable_name)
        array = known(self, variable, variable_name, period)
        if array is not None:
            return array
        array = original_calculate(self, variable_name, period)
        if variable is not None:
            consistent.setdefault(variable, set()).add(period)
        return array

    def __call__(self, variable_name, period, options=None):
        if options is not None or period.__class__ is not period_cls or self.simulation is None:
            return original_call(self, variable_name, period, options)
        names = defined.get(self.entity)
        if names is None or variable_name not in names:
            self.entity.check_variable_defined_for_entity(variable_name)
            defined.setdefault(self.entity, set()).add(variable_name)
        return self.simulation.calculate(variable_name, period)

    def get(self, period=None):
        if period.__class__ is period_cls and not self.is_eternal:
            return self._arrays.get(period)
        return original_get(self, period)

    def put(self, value, period):
        if period.__class__ is period_cls and not self.is_eternal:
            self._arrays[period] = value
        else:
            original_put(self, value, period)

    simulation_cls.calculate = calculate
    simulation_cls._calculate = _calculate
    population_cls.__call__ = __call__
    storage_cls.get = get
    storage_cls.put = put


def install():
    """Once per process, before the first simulation."""
    global _INSTALLED
    if _INSTALLED:
        return
    from openfisca_core.data_storage import InMemoryStorage
    from openfisca_core.parameters.vectorial_parameter_node_at_instant import VectorialParameterNodeAtInstant
    from openfisca_core.periods import instant_, period_
    from openfisca_core.populations._core_population import CorePopulation
    from openfisca_core.simulations import Simulation
    from openfisca_core.tracers import SimpleTracer

    _vectorial_lookups(VectorialParameterNodeAtInstant)
    _direct_lookups(Simulation, CorePopulation, InMemoryStorage, period_.Period, SimpleTracer)

    _remembered_method(instant_.Instant, "offset")
    _remembered_method(period_.Period, "offset")
    for name in _PERIOD_PROPERTIES:
        _remembered_property(period_.Period, name)
    _INSTALLED = True
