/* Weekly map of the bus: one marker per stop, coloured by its weekday; the communes served under the stops. */
(function () {
  "use strict";
  var countOf = window.CarteBlanche.countOf;
  window.CarteBlanche.geoMap("carte-bus", {
    attribution: "Leaflet",
    padding: 16,
    style: function (feature) {
      // Communes served: their outline, filled with their day's colour, under the stops.
      var colour = feature.properties.couleur;
      return { color: colour, weight: 1.5, fillColor: colour, fillOpacity: 0.2 };
    },
    pointToLayer: function (feature, latlng) {
      var p = feature.properties;
      if (p.type === "pouce") {
        return L.circleMarker(latlng, { radius: 6, color: "#161616", weight: 2, fillColor: "#ffffff", fillOpacity: 1 });
      }
      return L.circleMarker(latlng, { radius: 9, color: "#161616", weight: 1, fillColor: p.couleur, fillOpacity: 1 });
    },
    tooltip: function (p) {
      return p.type === "commune" ? p.commune + " : bus le " + p.jour : p.commune + " (" + p.lieu + ") : " + p.passages;
    },
    drawn: function (element, features) {
      element.dataset.cbDrawn = countOf(features, function (p) { return p.type !== "commune"; });
      element.dataset.cbCommunes = countOf(features, function (p) { return p.type === "commune"; });
    }
  });
})();
