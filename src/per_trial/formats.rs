//! The two formats of a per-trial file: Parquet (one row group per group of trials, every
//! column compressed with Snappy, pure Rust) and CSV (a header, then one line per trial).
//! Both are written from groups of rows in trial order; what a group is, and the order,
//! are `order`'s business. Neither writes anything that varies between runs (no time, no
//! thread count), so equal rows give equal bytes.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::sync::Arc;

use parquet::basic::{Compression, Repetition, Type as Physical};
use parquet::data_type::{DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::report::files::csv_field;

/// Writes groups of rows, `width` numbers per trial, to a file.
pub trait RowWriter: Send {
    /// The rows of trials `first ..`, in order.
    fn write_group(&mut self, first: u64, rows: &[f64]) -> std::io::Result<()>;
    /// Ends the file and flushes it to the disk.
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

pub struct ParquetRows {
    writer: SerializedFileWriter<BufWriter<File>>,
    width: usize,
    column: Vec<f64>,
}

fn to_io(e: parquet::errors::ParquetError) -> std::io::Error {
    match e {
        parquet::errors::ParquetError::External(inner) => {
            match inner.downcast::<std::io::Error>() {
                Ok(io) => *io,
                Err(other) => std::io::Error::other(other),
            }
        }
        other => std::io::Error::other(other),
    }
}

impl ParquetRows {
    /// A Parquet file of an `INT64` column `trial` and a `DOUBLE` column for each of
    /// `columns`, all required, with `metadata` as its key-value metadata.
    pub fn new(
        file: File,
        columns: &[String],
        metadata: &[(String, String)],
    ) -> std::io::Result<ParquetRows> {
        let required = |name: &str, physical| {
            Type::primitive_type_builder(name, physical)
                .with_repetition(Repetition::REQUIRED)
                .build()
                .map(Arc::new)
        };
        let mut fields = vec![required("trial", Physical::INT64).map_err(to_io)?];
        for name in columns {
            fields.push(required(name, Physical::DOUBLE).map_err(to_io)?);
        }
        let schema = Type::group_type_builder("corridor_trials")
            .with_fields(fields)
            .build()
            .map_err(to_io)?;
        let kv = metadata
            .iter()
            .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
            .collect();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            // No statistics and no page index: what the writer keeps until the footer then
            // grows with the row groups alone, by a few hundred bytes per column each, so
            // that 10 million trials stay within a few megabytes of metadata. Readers of a
            // per-trial file read it whole; min and max per group would skip nothing.
            .set_statistics_enabled(EnabledStatistics::None)
            .set_offset_index_disabled(true)
            .set_key_value_metadata(Some(kv))
            .build();
        let writer = SerializedFileWriter::new(
            BufWriter::with_capacity(1 << 20, file),
            Arc::new(schema),
            Arc::new(props),
        )
        .map_err(to_io)?;
        Ok(ParquetRows {
            writer,
            width: columns.len(),
            column: Vec::new(),
        })
    }
}

impl RowWriter for ParquetRows {
    fn write_group(&mut self, first: u64, rows: &[f64]) -> std::io::Result<()> {
        let n = rows.len() / self.width.max(1);
        let mut group = self.writer.next_row_group().map_err(to_io)?;
        let mut k = 0;
        while let Some(mut col) = group.next_column().map_err(to_io)? {
            if k == 0 {
                let trials: Vec<i64> = (first..first + n as u64).map(|t| t as i64).collect();
                col.typed::<Int64Type>()
                    .write_batch(&trials, None, None)
                    .map_err(to_io)?;
            } else {
                self.column.clear();
                self.column
                    .extend(rows.iter().skip(k - 1).step_by(self.width).copied());
                col.typed::<DoubleType>()
                    .write_batch(&self.column, None, None)
                    .map_err(to_io)?;
            }
            col.close().map_err(to_io)?;
            k += 1;
        }
        group.close().map_err(to_io)?;
        Ok(())
    }

    fn finish(self: Box<Self>) -> std::io::Result<()> {
        let buffered = self.writer.into_inner().map_err(to_io)?;
        let file = buffered.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

pub struct CsvRows {
    out: BufWriter<File>,
    width: usize,
    line: String,
}

impl CsvRows {
    /// A CSV file whose header is `trial` and `columns`, quoted where they need it.
    pub fn new(file: File, columns: &[String]) -> std::io::Result<CsvRows> {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let mut header = String::from("trial");
        for c in columns {
            header.push(',');
            header.push_str(&csv_field(c));
        }
        header.push('\n');
        out.write_all(header.as_bytes())?;
        Ok(CsvRows {
            out,
            width: columns.len(),
            line: String::new(),
        })
    }
}

impl RowWriter for CsvRows {
    fn write_group(&mut self, first: u64, rows: &[f64]) -> std::io::Result<()> {
        use std::fmt::Write as _;
        for (k, row) in rows.chunks_exact(self.width.max(1)).enumerate() {
            self.line.clear();
            let _ = write!(self.line, "{}", first + k as u64);
            for x in row {
                // Rust's shortest form that reads back as the same number.
                let _ = write!(self.line, ",{x}");
            }
            self.line.push('\n');
            self.out.write_all(self.line.as_bytes())?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> std::io::Result<()> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    }
}
