package main

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
	"time"
)

// The chart: one panel a command, time against N, this provider beside its
// floor and beside Terraform's own part of the floor. Plain SVG written by
// hand, so that it needs nothing but the standard library.
const (
	panelWidth   = 400
	panelHeight  = 250
	panelColumns = 2
	legendHeight = 40
	// The plot area inside a panel.
	plotLeft, plotRight, plotTop, plotBottom = 55, 15, 30, 40
)

// chartSeries is one line of a panel.
type chartSeries struct {
	name  string
	color string
	dash  string // stroke-dasharray; empty for a solid line
	// value is the series' time in one comparison.
	value func(comparison) time.Duration
}

var chartLines = []chartSeries{
	{name: "this provider", color: "#1f6feb", value: func(c comparison) time.Duration { return c.Provider }},
	{name: "floor: terraform_data + API time", color: "#d4760a", dash: "6 4", value: comparison.Floor},
	{name: "terraform_data alone", color: "#8b949e", dash: "2 3", value: func(c comparison) time.Duration { return c.Terraform }},
}

// renderChart draws the time of each command against N.
func renderChart(m measured) string {
	results := slices.Clone(m.Results)
	slices.SortFunc(results, func(a, b result) int { return a.N - b.N })
	rows := (len(opOrder) + panelColumns - 1) / panelColumns
	width, height := panelColumns*panelWidth, legendHeight+rows*panelHeight

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	fmt.Fprintf(&b, `<text x="10" y="16" font-size="14" font-weight="bold">Seconds per command against N, %s latency per API call, parallelism %d</text>`+"\n",
		m.Latency, parallelism)
	x := 10
	for _, s := range chartLines {
		fmt.Fprintf(&b, `<line x1="%d" y1="30" x2="%d" y2="30" stroke="%s" stroke-width="2.5"%s/>`, x, x+24, s.color, dashAttr(s.dash))
		fmt.Fprintf(&b, `<text x="%d" y="34">%s</text>`+"\n", x+30, html.EscapeString(s.name))
		x += 40 + 7*len(s.name)
	}
	for i, op := range opOrder {
		left, top := (i%panelColumns)*panelWidth, legendHeight+(i/panelColumns)*panelHeight
		drawPanel(&b, left, top, op, results, m.Latency)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// drawPanel draws the panel of one command with its top left corner at
// left, top.
func drawPanel(b *strings.Builder, left, top int, op string, results []result, latency time.Duration) {
	x0, x1 := float64(left+plotLeft), float64(left+panelWidth-plotRight)
	y0, y1 := float64(top+panelHeight-plotBottom), float64(top+plotTop)
	maxN, maxT := 1, 0.0
	for _, r := range results {
		maxN = max(maxN, r.N)
		for _, s := range chartLines {
			maxT = max(maxT, s.value(r.comparison(op, latency)).Seconds())
		}
	}
	step := niceStep(maxT)
	ceiling := step * math.Ceil(maxT/step)
	if ceiling == 0 {
		ceiling = step
	}
	xOf := func(n int) float64 { return x0 + (x1-x0)*float64(n)/float64(maxN) }
	yOf := func(s float64) float64 { return y0 - (y0-y1)*s/ceiling }

	fmt.Fprintf(b, `<text x="%.0f" y="%d" font-weight="bold">%s</text>`+"\n", x0, top+18, html.EscapeString(op))
	for v := 0.0; v <= ceiling+step/2; v += step {
		y := yOf(v)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e1e4e8"/>`, x0, y, x1, y)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", x0-6, y+4, trimFloat(v))
	}
	fmt.Fprintf(b, `<text x="%d" y="%.1f" transform="rotate(-90 %d %.1f)" text-anchor="middle">seconds</text>`+"\n",
		left+14, (y0+y1)/2, left+14, (y0+y1)/2)
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#57606a"/>`, x0, y0, x1, y0)
	for _, r := range results {
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">%d</text>`, xOf(r.N), y0+16, r.N)
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">N (resources)</text>`+"\n", (x0+x1)/2, y0+32)

	for _, s := range chartLines {
		points := make([]string, len(results))
		for i, r := range results {
			points[i] = fmt.Sprintf("%.1f,%.1f", xOf(r.N), yOf(s.value(r.comparison(op, latency)).Seconds()))
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`+"\n", s.color, dashAttr(s.dash), strings.Join(points, " "))
		for _, pt := range points {
			x, y, _ := strings.Cut(pt, ",")
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, x, y, s.color)
		}
		b.WriteString("\n")
	}
}

func dashAttr(dash string) string {
	if dash == "" {
		return ""
	}
	return fmt.Sprintf(` stroke-dasharray="%s"`, dash)
}

// niceStep is a grid step of 1, 2 or 5 times a power of ten that divides
// 0..most into at most five intervals.
func niceStep(most float64) float64 {
	if most <= 0 {
		return 1
	}
	raw := most / 5
	power := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*power >= raw {
			return m * power
		}
	}
	return 10 * power
}

// trimFloat renders a grid value without trailing zeros.
func trimFloat(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
