# The order's lines become a ledger: the sale's lines, then the changes (removed tickets, type
# changes) with signed quantities. The sale's lines are dated with their order.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0016_walk_ins_and_desk_printing'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='orderline',
            name='order_line_quantity_positive',
        ),
        migrations.AddField(
            model_name='orderline',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name='orderline',
            name='kind',
            field=models.CharField(choices=[('sold', 'Sold'), ('removed', 'Removed'), ('changed_from', 'Changed from'), ('changed_to', 'Changed to')], default='sold', max_length=16),
        ),
        migrations.RunSQL(
            "UPDATE core_orderline SET created_at = (SELECT created_at FROM core_order WHERE core_order.id = core_orderline.order_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='orderline',
            name='quantity',
            field=models.IntegerField(),
        ),
        migrations.AddConstraint(
            model_name='orderline',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['sold', 'changed_to']), ('quantity__gt', 0)), models.Q(('kind__in', ['removed', 'changed_from']), ('quantity__lt', 0)), _connector='OR'), name='order_line_quantity_sign'),
        ),
    ]
