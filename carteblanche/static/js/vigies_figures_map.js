/* Vigies' figures: the communes coloured by the number of signals received over the period (colours and words come
   from the server, small counts already written « moins de 3 »; the commune only, never a place within it; the
   page's table gives the same figures). */
(function () {
  "use strict";
  window.CarteBlanche.geoMap("carte-vigies", {
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
