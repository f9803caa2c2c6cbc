from carteblanche.rights import services


def register(territory, agent, organisation, first_name, last_name, born, **extra):
    """A person registered at the counter by ``agent`` of ``organisation``."""
    return services.register_person(
        territory=territory,
        created_by=agent,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        birth_date=born,
        **extra,
    )
