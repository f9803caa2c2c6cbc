/* Childcare coverage: the communes coloured by the half-hours of the week their needs find no place within reach
   (colours and words come from the server, small counts already hidden; the page's table gives the same figures). */
(function () {
  "use strict";
  window.CarteBlanche.geoMap("carte-couverture", {
    attribution: "Contours : IGN Admin Express · Leaflet",
    padding: 8,
    style: function (feature) {
      return { color: "#3a3a3a", weight: 1, fillColor: feature.properties.couleur, fillOpacity: 0.75 };
    },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7 });
    },
    tooltip: function (p) {
      return p.texte;
    },
    sticky: function () {
      return true;
    },
    drawn: function (element, features) {
      element.dataset.cbDrawn = String(features.length);
    }
  });
})();
