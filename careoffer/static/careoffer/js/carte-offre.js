/* Care-offer map: the department outline and one dot per structure or scheme (at a point
   inside its commune). Dots are coloured by kind (properties.couleur), projects are hollow;
   each dot has a tooltip (properties.etiquette). The page lists the same content in tables. */
(function () {
  "use strict";
  function draw(element) {
    var map = L.map(element, { attributionControl: true, zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Contours : IGN Admin Express, INSEE COG");
    fetch(element.dataset.offreGeojson, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var outline = L.geoJSON(data, {
          filter: function (feature) { return feature.properties.fond === true; },
          style: function () { return { color: "#666666", weight: 1, fillColor: "#f6f6f6", fillOpacity: 0.5 }; },
          interactive: false
        }).addTo(map);
        var dots = L.geoJSON(data, {
          filter: function (feature) { return feature.geometry.type === "Point"; },
          pointToLayer: function (feature, latlng) {
            var p = feature.properties;
            return L.circleMarker(latlng, {
              radius: 7, color: p.couleur, weight: 2,
              fillColor: p.projet ? "#ffffff" : p.couleur, fillOpacity: 0.9
            });
          },
          onEachFeature: function (feature, layer) { layer.bindTooltip(feature.properties.etiquette); }
        }).addTo(map);
        var bounds = outline.getBounds().isValid() ? outline.getBounds() : dots.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); }
        element.dataset.loaded = "true";
      });
  }
  document.querySelectorAll("[data-offre-geojson]").forEach(draw);
})();
