/* Weekly map of the bus: one marker per stop, coloured by its weekday, without any tile server.
   The table next to the map holds the same information. */
(function () {
  "use strict";
  var element = document.getElementById("carte-bus");
  if (!element || typeof L === "undefined") {
    return;
  }
  var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Leaflet");
  fetch(element.dataset.cbGeojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (feature) {
          // Communes served: their outline, filled with their day's colour, under the stops.
          return { color: feature.properties.couleur, weight: 1.5, fillColor: feature.properties.couleur, fillOpacity: 0.2 };
        },
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          if (p.type === "pouce") {
            return L.circleMarker(latlng, { radius: 6, color: "#161616", weight: 2, fillColor: "#ffffff", fillOpacity: 1 });
          }
          return L.circleMarker(latlng, { radius: 9, color: "#161616", weight: 1, fillColor: p.couleur, fillOpacity: 1 });
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          var label = document.createElement("span");
          label.textContent = p.type === "commune" ? p.commune + " : bus le " + p.jour : p.commune + " (" + p.lieu + ") : " + p.passages; // never read as HTML
          layer.bindTooltip(label);
        }
      }).addTo(map);
      if (data.features.length) {
        map.fitBounds(layer.getBounds(), { padding: [16, 16] });
      } else {
        map.setView([44.45, 1.44], 10);
      }
      element.dataset.cbDrawn = String(data.features.filter(function (f) { return f.properties.type !== "commune"; }).length);
      element.dataset.cbCommunes = String(data.features.filter(function (f) { return f.properties.type === "commune"; }).length);
    })
    .catch(function () {
      element.textContent = "La carte n'a pas pu être chargée ; le tableau donne les mêmes informations.";
    });
})();
