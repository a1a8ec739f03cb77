//! The digest chart: entries per department, formal and informal stacked in one horizontal bar,
//! busiest at the top. Horizontal bars keep thirty department names readable.
//!
//! Drawn with plotters' bitmap backend and a font compiled into the binary, so a server without
//! fontconfig or any system font draws the same picture; PNG-encoded with the `png` crate.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::model::{DepartmentSummary, Digest};

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// Registered under our own name so that no other family can be picked by accident.
const FAMILY: &str = "liaison-sans";

const WIDTH: u32 = 960;
const TOP: i32 = 78;
const ROW: i32 = 22;
const BOTTOM: i32 = 44;
const LABEL_WIDTH: i32 = 300;
const RIGHT: i32 = 60;
/// More rows than this and the rest share one "others" bar, so the image stays postable.
const MAX_ROWS: usize = 60;

const FORMAL: RGBColor = RGBColor(0x15, 0x65, 0xc0);
const INFORMAL: RGBColor = RGBColor(0xef, 0x6c, 0x00);
const GRID: RGBColor = RGBColor(0xe0, 0xe0, 0xe0);
const INK: RGBColor = RGBColor(0x21, 0x21, 0x21);

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the embedded chart font could not be loaded")]
    Font,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart as PNG failed: {0}")]
    Encode(#[from] png::EncodingError),
}

fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok =
        *REGISTERED.get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// One bar: a label and its formal and informal counts.
pub struct Bar {
    pub label: String,
    pub formal: u64,
    pub informal: u64,
}

fn bars(departments: &[DepartmentSummary]) -> Vec<Bar> {
    let bar = |d: &DepartmentSummary| Bar {
        label: d.department.clone(),
        formal: d.entries.saturating_sub(d.informal),
        informal: d.informal,
    };
    if departments.len() <= MAX_ROWS {
        return departments.iter().map(bar).collect();
    }
    let (shown, rest) = departments.split_at(MAX_ROWS - 1);
    let mut out: Vec<Bar> = shown.iter().map(bar).collect();
    out.push(Bar {
        label: format!("{} others", rest.len()),
        formal: rest.iter().map(|d| d.entries.saturating_sub(d.informal)).sum(),
        informal: rest.iter().map(|d| d.informal).sum(),
    });
    out
}

/// The chart as PNG bytes; a period without entries gets a small chart that says so.
pub fn render_chart(d: &Digest) -> Result<Vec<u8>, ChartError> {
    let title = format!("Entries per department · {}", d.period.label);
    render_bars(&bars(&d.departments), &title, true)
}

/// Horizontal bars, formal and informal stacked (`legend` says so; without it every count is
/// drawn in the formal colour as one plain count), as PNG bytes. Reports draw theirs with this.
pub fn render_bars(bars: &[Bar], title: &str, legend: bool) -> Result<Vec<u8>, ChartError> {
    font()?;
    let rows = i32::try_from(bars.len()).unwrap_or(i32::MAX).max(4);
    let height = u32::try_from(TOP + rows * ROW + BOTTOM).map_err(draw_err)?;
    let mut pixels = vec![0u8; (WIDTH * height * 3) as usize];
    {
        let backend: BitMapBackend =
            BitMapBackend::with_buffer_and_format(&mut pixels, (WIDTH, height)).map_err(draw_err)?;
        let area = backend.into_drawing_area();
        area.fill(&WHITE).map_err(draw_err)?;
        draw(&area, bars, title, legend)?;
        area.present().map_err(draw_err)?;
    }
    encode(&pixels, WIDTH, height)
}

fn text_style(size: f64, colour: RGBColor, pos: Pos) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&colour).pos(pos)
}

fn draw(
    area: &DrawingArea<BitMapBackend, plotters::coord::Shift>,
    bars: &[Bar],
    title: &str,
    with_legend: bool,
) -> Result<(), ChartError> {
    let left = Pos::new(HPos::Left, VPos::Center);
    area.draw(&Text::new(fit(area, title, 18.0, WIDTH as i32 - 40)?, (20, 22), text_style(18.0, INK, left)))
        .map_err(draw_err)?;
    if with_legend {
        legend(area)?;
    }
    let max = bars.iter().map(|b| b.formal + b.informal).max().unwrap_or(0);
    if max == 0 {
        let centre = Pos::new(HPos::Center, VPos::Center);
        let msg = Text::new(
            "No entries this period",
            (WIDTH as i32 / 2, TOP + 2 * ROW),
            text_style(16.0, INK, centre),
        );
        return area.draw(&msg).map_err(draw_err);
    }
    let plot_width = WIDTH as i32 - LABEL_WIDTH - RIGHT;
    let step = tick_step(max);
    let ticks = max.div_ceil(step);
    let scale = f64::from(plot_width) / (ticks * step) as f64;
    let x = |n: u64| LABEL_WIDTH + (n as f64 * scale).round() as i32;
    let bottom = TOP + bars.len() as i32 * ROW;
    for t in 0..=ticks {
        let tx = x(t * step);
        area.draw(&PathElement::new(vec![(tx, TOP - 4), (tx, bottom)], GRID)).map_err(draw_err)?;
        let label = Text::new(
            (t * step).to_string(),
            (tx, bottom + 14),
            text_style(12.0, INK, Pos::new(HPos::Center, VPos::Center)),
        );
        area.draw(&label).map_err(draw_err)?;
    }
    let right = Pos::new(HPos::Right, VPos::Center);
    for (i, b) in bars.iter().enumerate() {
        let top = TOP + i as i32 * ROW + 3;
        let mid = top + (ROW - 6) / 2;
        let name = fit(area, &b.label, 13.0, LABEL_WIDTH - 16)?;
        area.draw(&Text::new(name, (LABEL_WIDTH - 8, mid), text_style(13.0, INK, right)))
            .map_err(draw_err)?;
        let split = x(b.formal);
        let end = x(b.formal + b.informal);
        area.draw(&Rectangle::new([(LABEL_WIDTH, top), (split, top + ROW - 6)], FORMAL.filled()))
            .map_err(draw_err)?;
        area.draw(&Rectangle::new([(split, top), (end, top + ROW - 6)], INFORMAL.filled()))
            .map_err(draw_err)?;
        let count =
            Text::new((b.formal + b.informal).to_string(), (end + 6, mid), text_style(12.0, INK, left));
        area.draw(&count).map_err(draw_err)?;
    }
    Ok(())
}

fn legend(area: &DrawingArea<BitMapBackend, plotters::coord::Shift>) -> Result<(), ChartError> {
    let left = Pos::new(HPos::Left, VPos::Center);
    for (i, (colour, name)) in [(FORMAL, "Formal"), (INFORMAL, "Informal")].into_iter().enumerate() {
        let x0 = 20 + i as i32 * 110;
        area.draw(&Rectangle::new([(x0, 46), (x0 + 14, 60)], colour.filled())).map_err(draw_err)?;
        area.draw(&Text::new(name, (x0 + 20, 53), text_style(13.0, INK, left))).map_err(draw_err)?;
    }
    Ok(())
}

/// A round step (1, 2 or 5 times a power of ten) giving at most about six ticks.
fn tick_step(max: u64) -> u64 {
    let mut magnitude = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = m * magnitude;
            if max.div_ceil(step) <= 6 {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// `text` shortened with an ellipsis until it is at most `width` pixels wide.
fn fit(
    area: &DrawingArea<BitMapBackend, plotters::coord::Shift>,
    text: &str,
    size: f64,
    width: i32,
) -> Result<String, ChartError> {
    let style = text_style(size, INK, Pos::default());
    let wide = |s: &str| -> Result<bool, ChartError> {
        let (w, _) = area.estimate_text_size(s, &style).map_err(draw_err)?;
        Ok(i64::from(w) > i64::from(width))
    };
    if !wide(text)? {
        return Ok(text.to_string());
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if !wide(&candidate)? {
            return Ok(candidate);
        }
    }
    Ok("…".to_string())
}

fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // A flat-coloured chart compresses well even at the fast setting, and the digest is timed.
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}
