import Foundation

/// Builds an SVG document as text: no dependencies, no network, safe to inline in HTML.
///
/// ```swift
/// var svg = SVGCanvas(width: 200, height: 100)
/// svg.line(x1: 0, y1: 0, x2: 200, y2: 100, stroke: "#333")
/// svg.text("hello", x: 10, y: 20)
/// let markup = svg.render()
/// ```
public struct SVGCanvas: Sendable {
    public let width: Double
    public let height: Double
    private var elements: [String] = []

    public init(width: Double, height: Double) {
        self.width = width; self.height = height
    }

    /// Escapes text for XML content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func fmt(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                              width: Double = 1, dash: String? = nil, opacity: Double = 1) {
        var a = "<line x1=\"\(Self.fmt(x1))\" y1=\"\(Self.fmt(y1))\" x2=\"\(Self.fmt(x2))\" y2=\"\(Self.fmt(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.fmt(width))\""
        if let dash { a += " stroke-dasharray=\"\(dash)\"" }
        if opacity < 1 { a += " stroke-opacity=\"\(Self.fmt(opacity))\"" }
        elements.append(a + "/>")
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5,
                                  opacity: Double = 1) {
        guard points.count > 1 else { return }
        let pts = points.map { "\(Self.fmt($0.0)),\(Self.fmt($0.1))" }.joined(separator: " ")
        elements.append("<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.fmt(width))\" stroke-opacity=\"\(Self.fmt(opacity))\"/>")
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, opacity: Double = 1,
                                title: String? = nil) {
        let body = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        elements.append("<circle cx=\"\(Self.fmt(cx))\" cy=\"\(Self.fmt(cy))\" r=\"\(Self.fmt(r))\" fill=\"\(fill)\" fill-opacity=\"\(Self.fmt(opacity))\">\(body)</circle>")
    }

    public mutating func rect(x: Double, y: Double, width w: Double, height h: Double, fill: String,
                              stroke: String? = nil, title: String? = nil) {
        var a = "<rect x=\"\(Self.fmt(x))\" y=\"\(Self.fmt(y))\" width=\"\(Self.fmt(max(w, 0)))\" height=\"\(Self.fmt(max(h, 0)))\" fill=\"\(fill)\""
        if let stroke { a += " stroke=\"\(stroke)\"" }
        let body = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        elements.append(a + ">\(body)</rect>")
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    public mutating func text(_ s: String, x: Double, y: Double, size: Double = 11,
                              anchor: Anchor = .start, fill: String = "#333", rotate: Double? = nil,
                              bold: Bool = false) {
        var a = "<text x=\"\(Self.fmt(x))\" y=\"\(Self.fmt(y))\" font-size=\"\(Self.fmt(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if bold { a += " font-weight=\"bold\"" }
        if let rotate { a += " transform=\"rotate(\(Self.fmt(rotate)) \(Self.fmt(x)) \(Self.fmt(y)))\"" }
        elements.append(a + ">\(Self.escape(s))</text>")
    }

    /// The complete `<svg>` element.
    public func render(title: String? = nil) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.fmt(width)) \(Self.fmt(height))\" width=\"\(Self.fmt(width))\" height=\"\(Self.fmt(height))\" font-family=\"sans-serif\" role=\"img\">"
        if let title { s += "<title>\(Self.escape(title))</title>" }
        return s + elements.joined() + "</svg>"
    }
}
