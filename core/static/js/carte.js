/* Draws the GeoJSON of every element with a data-geojson attribute on a Leaflet map.
   No tile server: the commune polygons are the map. Feature properties:
   - couleur: fill colour of a polygon, or colour of a point (drawn as a dot);
   - etiquette: tooltip text, shown as text: never parsed as HTML (names come from users);
   - projet: a hollow dot (a structure not open yet);
   - fond: a background outline (department), drawn grey and without tooltip.
   The same information is always given in a table next to the map. */
(function () {
  "use strict";
  function polygonStyle(feature) {
    var p = feature.properties;
    if (p.fond) {
      return { color: "#666666", weight: 1, fillColor: "#f6f6f6", fillOpacity: 0.5 };
    }
    return {
      color: p.contour || "#666666",
      weight: p.epaisseur || 0.6,
      fillColor: p.couleur || "#f6f6f6",
      fillOpacity: p.couleur ? 0.75 : 0.35
    };
  }
  function dot(feature, latlng) {
    var p = feature.properties;
    var colour = p.couleur || "#000091";
    return L.circleMarker(latlng, {
      radius: 7, color: colour, weight: 2, fillColor: p.projet ? "#ffffff" : colour, fillOpacity: 0.9
    });
  }
  /* Leaflet inserts a string tooltip with innerHTML: give it an element holding a text node. */
  function textTooltip(text) {
    var element = document.createElement("span");
    element.textContent = String(text);
    return element;
  }
  function draw(element) {
    var map = L.map(element, { attributionControl: true, zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Contours : IGN Admin Express, INSEE COG");
    fetch(element.dataset.geojson, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: polygonStyle,
          pointToLayer: dot,
          onEachFeature: function (feature, featureLayer) {
            if (feature.properties.fond) {
              featureLayer.options.interactive = false;  /* read when the layer is added */
            } else if (feature.properties.etiquette) {
              featureLayer.bindTooltip(textTooltip(feature.properties.etiquette), { sticky: true });
            }
          }
        }).addTo(map);
        if (layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        }
        element.dataset.loaded = "true";
      });
  }
  document.querySelectorAll("[data-geojson]").forEach(draw);
})();
