/* Territory map: draws the communes' GeoJSON with Leaflet, without any tile server.
   Colours come from the server (one per access band); the table on the page holds the same values. */
(function () {
  "use strict";
  var element = document.getElementById("carte");
  if (!element || typeof L === "undefined") {
    return;
  }
  var map = L.map(element, { zoomSnap: 0.25, attributionControl: true, preferCanvas: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Contours : IGN Admin Express · Leaflet");

  function describe(p) {
    if (p.route_km === null) {
      return p.nom + " (" + p.population + " hab.) : aucun site ouvert ce jour";
    }
    return p.nom + " (" + p.population + " hab.) : " + p.site + ", " + p.route_km.toString().replace(".", ",") +
      " km par la route (estimation), environ " + p.minutes + " min";
  }

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
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          var text = p.type === "site" ? p.nom + " : " + p.horaires : describe(p);
          var label = document.createElement("span");
          label.textContent = text; // names come from imported files: never read as HTML
          layer.bindTooltip(label, { sticky: p.type !== "site" });
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      element.dataset.cbDrawn = String(data.features.filter(function (f) {
        return f.properties.type === "commune";
      }).length);
    })
    .catch(function () {
      element.textContent = "La carte n'a pas pu être chargée. Le tableau ci-dessous donne les mêmes informations.";
      element.dataset.cbDrawn = "erreur";
    });
})();
