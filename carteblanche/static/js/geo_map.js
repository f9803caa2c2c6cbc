/* The one set-up of the platform's maps: Leaflet without any tile server, fed by a GeoJSON URL in the element's
   data-cb-geojson. Each page says how to draw its features; the table next to every map holds the same
   information, so a map that cannot load says so and points to it. */
(function () {
  "use strict";
  window.CarteBlanche = window.CarteBlanche || {};

  window.CarteBlanche.geoMap = function (id, options) {
    var element = document.getElementById(id);
    if (!element || typeof L === "undefined") {
      return;
    }
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(options.attribution);
    fetch(element.dataset.cbGeojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: options.style,
          pointToLayer: options.pointToLayer,
          onEachFeature: function (feature, featureLayer) {
            var label = document.createElement("span");
            label.textContent = options.tooltip(feature.properties); // imported names: never read as HTML
            featureLayer.bindTooltip(label, { sticky: Boolean(options.sticky && options.sticky(feature.properties)) });
          }
        }).addTo(map);
        if (data.features.length) {
          map.fitBounds(layer.getBounds(), { padding: [options.padding, options.padding] });
        } else {
          map.setView([44.45, 1.44], 10);
        }
        options.drawn(element, data.features);
      })
      .catch(function () {
        element.textContent = "La carte n'a pas pu être chargée. Le tableau de la page donne les mêmes informations.";
        element.dataset.cbDrawn = "erreur";
      });
  };

  window.CarteBlanche.countOf = function (features, test) {
    return String(features.filter(function (f) { return test(f.properties); }).length);
  };
})();
