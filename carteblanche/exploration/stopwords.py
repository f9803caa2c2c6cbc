"""French words too common to name a theme (written for Carte blanche; accents folded like the texts)."""

FRENCH_STOP_WORDS = frozenset(
    """
a afin ai aie aient aies ait alors au aucun aucune aujourd aupres auquel aura aurai auraient aurais aurait
auras aurez auriez aurions aurons auront aussi autant autre autres aux auxquelles auxquels avaient avais avait
avant avec avez aviez avions avoir avons ayant ayez ayons b bah beaucoup bien bon c ca car ce ceci cela celle
celles celui cependant certain certaine certaines certains ces cet cette ceux chacun chaque chez ci comme
comment contre d dans de des deja depuis donc dont du duquel durant e elle elles en encore entre es est et
etaient etais etait etant ete etes etiez etions etre eu eue eues eurent eus eusse eut eux f fait faire fais
faisant faut fois font fut g h hors i ici il ils j je jusqu jusque l la laquelle le lequel les lesquelles
lesquels leur leurs lors lorsque lui m ma mais me meme memes mes moi moins mon n ne ni non nos notre nous o on
ont ou ouvrir p par parce pas peu peut peuvent plus plutot pour pourquoi pourrait puis puisque q qu quand que
quel quelle quelles quels qui quoi r s sa sans se selon ser sera serai seraient serait seront ses si sien
sienne soi soit sommes son sont sous suis sur t ta tant te tel telle telles tels tes toi ton tous tout toute
toutes tres trop tu u un une unes uns v va vers voici voila vont vos votre vous vu w x y z faudrait etc oui
non deja ainsi cas fait faits chose choses gens personne personnes toujours jamais rien doit doivent devrait
devraient pouvoir peux veut veulent etre avoir aller faire dire dit mettre apres plusieurs sait savent
""".split()  # noqa: SIM905
)
