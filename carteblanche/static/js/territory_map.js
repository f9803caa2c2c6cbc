/* Territory map: the communes coloured by access band (colours come from the server), and the service sites. */
(function () {
  "use strict";

  function describe(p) {
    if (p.route_km === null) {
      return p.nom + " (" + p.population + " hab.) : aucun site ouvert ce jour";
    }
    return p.nom + " (" + p.population + " hab.) : " + p.site + ", " + p.route_km.toString().replace(".", ",") +
      " km par la route (estimation), environ " + p.minutes + " min";
  }

  window.CarteBlanche.geoMap("carte", {
    attribution: "Contours : IGN Admin Express · Leaflet",
    padding: 8,
    style: function (feature) {
      var p = feature.properties;
      if (p.type === "site") {
        // Sites open that day are filled blue, closed ones white.
        return { color: "#000091", weight: 2, fillColor: p.ouvert ? "#6a6af4" : "#ffffff", fillOpacity: 1 };
      }
      return { color: "#3a3a3a", weight: 1, fillColor: p.couleur, fillOpacity: 0.75 };
    },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7 });
    },
    tooltip: function (p) {
      return p.type === "site" ? p.nom + " : " + p.horaires : describe(p);
    },
    sticky: function (p) {
      return p.type !== "site";
    },
    drawn: function (element, features) {
      element.dataset.cbDrawn = window.CarteBlanche.countOf(features, function (p) { return p.type === "commune"; });
    }
  });
})();
